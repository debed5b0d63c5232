// The admin console, end to end in the browser. Setup through the API: a creator with two published clones (one with a Ready
// document, which a user asks a question of; one plain), and an admin named by the host's Auth:AdminEmails. In the UI the
// admin finds the user and disables them with a reason (the user's token stops working), enables them again; features and
// verifies the plain clone (it then leads the marketplace with a Featured label); reads the user's conversation after giving
// a reason; and finds each of these in the audit log. The user then sees the read on their profile page, under "Access to
// your data". A user who is not an admin sees no Admin link and "Admins only" at /admin. Screenshots at 1280 and 375 px.
//
// "The user's token stops working" is the auth part of issue 15 (tokens carry the security stamp, a disabled account is
// refused on every request): this file passes once that part is merged.
//
//   node --test tests/browser/admin.test.mjs    (starts functions/CloneAI.Local built in Release, with an admin email)
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { apiClient, noHorizontalOverflow, publishedTideClone, shoot, signedInPage, startEnvironment, verifiedAccount } from "./lib.mjs";

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const password = `Correct-horse-${run}`;
const adminEmail = `admin-${run}@example.com`;
const userEmail = `subject-${run}@example.com`;
const chatCloneName = `Tide Tables ${run}`;
const featuredName = `Star Guide ${run}`;
const QUESTION = "What causes the tides?";
const READY_TIMEOUT_MS = 120_000;
// Priced per message with free messages: the user asks without a wallet.
const FREE = { perMessage: 100, currency: "USD", freeMessages: 5 };

let baseUrl = "";
let dataDir = "";
/** @type {import("playwright-core").Browser} */
let browser;
let stop = async () => {};
let hostLog = () => "";

before(async () => {
  ({ baseUrl, dataDir, browser, stop, hostLog } = await startEnvironment({ hostArgs: [`--Auth:AdminEmails:0=${adminEmail}`] }));
});

after(async () => {
  await stop();
});

const call = (...args) => apiClient(baseUrl)(...args);
const account = (email, displayName) => verifiedAccount(baseUrl, dataDir, email, password, displayName);

/** The answer to GET /api/me with this token: its HTTP status. */
async function meStatus(token) {
  const response = await fetch(`${baseUrl}/api/me`, { headers: { Authorization: `Bearer ${token}`, Accept: "application/json" } });
  return response.status;
}

/** Fills the reason dialog that is open and confirms it with the button `confirm`; waits until the dialog closes. */
async function giveReason(page, reason, confirm) {
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Reason").fill(reason);
  await dialog.getByRole("button", { name: confirm, exact: true }).click();
  await dialog.waitFor({ state: "detached" });
}

test("an admin disables and enables a user, features and verifies a clone, reads a conversation with a reason, and the audit log and the user's profile show it", async () => {
  // Setup through the API.
  const creator = await account(`creator-${run}@example.com`, "Cleo Creator");
  await call("POST", "/api/me/creator", undefined, creator.accessToken);
  const chatClone = await publishedTideClone(baseUrl, creator.accessToken, { name: chatCloneName, pricing: FREE }, READY_TIMEOUT_MS, hostLog);
  const categories = await call("GET", "/api/categories");
  const plain = await call("POST", "/api/clones", {
    name: featuredName, category: categories[0].id, tagline: "The night sky, star by star", description: "A guide to the stars.",
    persona: { greeting: "Hi!", instructions: "Answer." }, pricing: FREE,
  }, creator.accessToken);
  await call("POST", `/api/clones/${encodeURIComponent(plain.id)}/publish`, undefined, creator.accessToken);

  let user = await account(userEmail, "Uma Subject");
  const session = await call("POST", `/api/clones/${encodeURIComponent(chatClone.id)}/sessions`, {}, user.accessToken);
  await call("POST", `/api/sessions/${encodeURIComponent(session.id)}/messages`, { content: QUESTION, clientMessageId: randomUUID() }, user.accessToken);
  await call("POST", `/api/sessions/${encodeURIComponent(session.id)}/end`, undefined, user.accessToken);
  const admin = await account(adminEmail, "Ada Admin");

  const { context, page, pageErrors } = await signedInPage(browser, admin);
  try {
    // The navbar's Admin link opens the console on Users.
    await page.goto(`${baseUrl}/`);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Users" }).waitFor();
    const tabs = page.getByRole("navigation", { name: "Admin sections" });
    assert.deepEqual(await tabs.getByRole("link").allTextContents(), ["Users", "Clones", "Reports", "Verification", "Payouts", "Audit"]);

    // Find the user, disable them with a reason: their token stops working.
    await page.getByLabel("Find users").fill(userEmail.slice(0, 14));
    await page.getByRole("button", { name: "Search" }).click();
    const row = page.getByRole("list", { name: "Users" }).getByRole("listitem").filter({ hasText: userEmail });
    await row.waitFor();
    assert.equal(await page.getByRole("list", { name: "Users" }).getByRole("listitem").count(), 1);
    await row.getByRole("button", { name: "Disable" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Disable account" }).click();
    await page.getByRole("dialog").getByText("Give a reason: it goes to the audit log.").waitFor(); // no reason, nothing sent
    await giveReason(page, "Spam in three reports", "Disable account");
    await row.getByText(/^Disabled /).waitFor();
    await row.getByText("Reason: Spam in three reports").waitFor();
    assert.equal(await meStatus(user.accessToken), 401, "a disabled user's token still works");
    await shoot(page, "admin-users.png");

    // Enable them again: they sign in again.
    await row.getByRole("button", { name: "Enable" }).click();
    await giveReason(page, "Appeal accepted", "Enable account");
    await row.getByRole("button", { name: "Disable" }).waitFor();
    user = await call("POST", "/api/auth/login", { email: userEmail, password });
    assert.equal(await meStatus(user.accessToken), 200);

    // Clones: feature and verify the plain clone.
    await tabs.getByRole("link", { name: "Clones" }).click();
    await page.getByRole("heading", { level: 1, name: "Clones" }).waitFor();
    await page.getByLabel("Find clones").fill(featuredName);
    await page.getByRole("button", { name: "Search" }).click();
    const clone = page.getByRole("list", { name: "Clones" }).getByRole("listitem").filter({ hasText: featuredName });
    await clone.getByRole("button", { name: "Feature" }).click();
    await giveReason(page, "Great reviews from the community", "Feature");
    await clone.getByText("Featured", { exact: true }).waitFor();
    await clone.getByRole("button", { name: "Verify" }).click();
    await giveReason(page, "Identity and credentials checked", "Verify");
    await clone.getByText(/^Verified /).waitFor();
    await shoot(page, "admin-clones.png");

    // Read the user's conversation: the reason first, then the messages.
    await tabs.getByRole("link", { name: "Users" }).click();
    await page.getByLabel("Session id").fill(session.id);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("heading", { level: 1, name: "Read a conversation" }).waitFor();
    await page.getByRole("button", { name: "Read the conversation" }).click();
    await page.getByText("Give a reason: it goes to the audit log.").waitFor();
    await page.getByLabel("Reason").fill("Report about an answer on tides");
    await page.getByRole("button", { name: "Read the conversation" }).click();
    await page.getByRole("heading", { level: 1, name: `Conversation with ${chatCloneName}` }).waitFor();
    await page.getByRole("list", { name: "Messages" }).getByText(QUESTION).waitFor();

    // The audit log shows each action with its reason.
    await tabs.getByRole("link", { name: "Audit" }).click();
    await page.getByRole("heading", { level: 1, name: "Audit log" }).waitFor();
    const table = page.getByRole("table");
    for (const [action, reason] of [
      ["Disabled the account", "Spam in three reports"],
      ["Enabled the account", "Appeal accepted"],
      ["Featured the clone", "Great reviews from the community"],
      ["Verified the clone", "Identity and credentials checked"],
      ["Read a conversation", "Report about an answer on tides"],
    ]) {
      const entry = table.getByRole("row").filter({ hasText: action }).filter({ hasText: reason });
      await entry.waitFor();
      assert.match(await entry.textContent(), new RegExp(adminEmail.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    }
    const actions = await table.locator("tbody tr td:nth-child(3)").allTextContents();
    assert.equal(actions[0], "Read a conversation"); // newest first
    await shoot(page, "admin-audit.png");

    // The marketplace: the featured clone first in the results (the default order), with its label.
    await page.goto(`${baseUrl}/`);
    const first = page.getByRole("region", { name: "All clones" }).getByRole("article").first();
    await first.getByText(featuredName).waitFor();
    await first.getByText("Featured", { exact: true }).waitFor();

    // At 375 px the console fits the screen.
    await page.setViewportSize({ width: 375, height: 812 });
    for (const [path, heading, name] of [["/admin/users", "Users", "admin-users-375.png"], ["/admin/clones", "Clones", "admin-clones-375.png"], ["/admin/audit", "Audit log", "admin-audit-375.png"]]) {
      await page.goto(`${baseUrl}${path}`);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      const overflow = await noHorizontalOverflow(page);
      assert.ok(overflow.scrollWidth <= overflow.width, `${path} overflows at 375 px: ${JSON.stringify(overflow)}`);
      await shoot(page, name);
    }
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }

  // The user: no Admin link, "Admins only" at /admin, and the read on their profile page.
  const userPage = await signedInPage(browser, user);
  try {
    const { page } = userPage;
    await page.goto(`${baseUrl}/admin`);
    await page.getByRole("heading", { name: "Admins only" }).waitFor();
    assert.equal(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin", exact: true }).count(), 0);
    assert.equal(await page.getByRole("navigation", { name: "Admin sections" }).count(), 0);

    await page.goto(`${baseUrl}/profile`);
    const access = page.getByRole("list", { name: "Access to your data" });
    const read = access.getByRole("listitem").filter({ hasText: "Read one of your conversations" });
    await read.waitFor();
    assert.match(await read.textContent(), /CloneAI admin \(Ada Admin\)/);
    assert.match(await read.textContent(), /Reason: Report about an answer on tides/);
    await read.scrollIntoViewIfNeeded();
    await shoot(page, "profile-access-log.png");
    await page.setViewportSize({ width: 375, height: 812 });
    await page.reload();
    await access.waitFor();
    const overflow = await noHorizontalOverflow(page);
    assert.ok(overflow.scrollWidth <= overflow.width, `the profile overflows at 375 px: ${JSON.stringify(overflow)}`);
    await shoot(page, "profile-access-log-375.png");
    assert.deepEqual(userPage.pageErrors, []);
  } finally {
    await userPage.context.close();
  }
});
