// Reports, moderation and verified experts, end to end in the browser. Through the API: two creators publish a clone each,
// a user starts a session with one and gets an answer. In the UI: the user reports the clone from its page and an answer
// from the chat; an admin opens Reports and hides the clone with a reason; it leaves the marketplace; its owner sees why in
// Studio (and got an email); the audit log API shows the hide. The other creator asks to be verified in Studio, an admin
// approves it in Verification, and the Verified badge shows on the marketplace card, the clone page, the chat header and the
// creator's profile. Screenshots at 1280 and 375 px.
//
//   node --test tests/browser/moderation.test.mjs    (starts functions/CloneAI.Local built in Release, with an admin email)
// The audit-log step reads GET /api/admin/audit, the admin console's route (issue 15 part 2).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { apiClient, fundWallet, noHorizontalOverflow, outboxEmail, shoot, signedInPage, startEnvironment, userApi, verifiedAccount } from "./lib.mjs";

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const password = `Correct-horse-${run}`;
const adminEmail = `moderation-admin-${run}@example.com`;
const ownerEmail = `moderation-owner-${run}@example.com`;
const reportedName = `Fake Oceanographer ${run}`;
const verifiedName = `Tide Expert ${run}`;
const hideReason = "Impersonates a real oceanographer";

let baseUrl = "";
let dataDir = "";
/** @type {import("playwright-core").Browser} */
let browser;
let stop = async () => {};
/** Set up once: { owner, expert, user, admin, reported, verified }. */
let world;

before(async () => {
  ({ baseUrl, dataDir, browser, stop } = await startEnvironment({ hostArgs: [`--Auth:AdminEmails:0=${adminEmail}`] }));
  world = await setUp();
});

after(async () => {
  await stop();
});

const call = (...args) => apiClient(baseUrl)(...args);
const account = (email, displayName) => verifiedAccount(baseUrl, dataDir, email, password, displayName);

async function publishedClone(token, name) {
  const categories = await call("GET", "/api/categories");
  const clone = await call(
    "POST",
    "/api/clones",
    {
      name,
      category: categories[0]?.id,
      tagline: "Tides and the sea",
      description: "A clone that answers questions about the sea.",
      persona: { greeting: "Hi! Ask me about the sea.", instructions: "Answer from the sources.", answerLength: "short" },
      pricing: { perMessage: 10, currency: "USD", freeMessages: 3 },
    },
    token,
  );
  return call("POST", `/api/clones/${encodeURIComponent(clone.id)}/publish`, undefined, token);
}

async function setUp() {
  const owner = await account(ownerEmail, "Owen Owner");
  await call("POST", "/api/me/creator", undefined, owner.accessToken);
  const reported = await publishedClone(owner.accessToken, reportedName);
  const expert = await account(`moderation-expert-${run}@example.com`, "Vera Expert");
  await call("POST", "/api/me/creator", undefined, expert.accessToken);
  const verified = await publishedClone(expert.accessToken, verifiedName);
  const user = await account(`moderation-user-${run}@example.com`, "Rita Reporter");
  await fundWallet(userApi(baseUrl, user.accessToken), 2000);
  const admin = await account(adminEmail, "Ada Admin");
  return { owner, expert, user, admin, reported, verified };
}

async function sessionWithAnswer(token, cloneId) {
  const session = await call("POST", `/api/clones/${encodeURIComponent(cloneId)}/sessions`, {}, token);
  const asked = await fetch(`${baseUrl}/api/sessions/${encodeURIComponent(session.id)}/messages`, {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ content: "Who are you really?", clientMessageId: randomUUID() }),
  });
  assert.ok(asked.ok, `ask -> ${asked.status}: ${(await asked.text()).slice(0, 300)}`);
  return session;
}

async function inMarketplace(name) {
  const page = await call("GET", `/api/clones?q=${encodeURIComponent(name)}&pageSize=50`);
  return page.items.some((c) => c.name === name);
}

test("a user reports a clone and an answer, an admin hides it, and its owner sees why in Studio", async () => {
  const { owner, user, admin, reported } = world;
  const session = await sessionWithAnswer(user.accessToken, reported.id);

  // The user reports the clone from its page…
  const reporter = await signedInPage(browser, user);
  try {
    const { page } = reporter;
    await page.goto(`${baseUrl}/clones/${encodeURIComponent(reported.slug)}`);
    await page.getByRole("button", { name: `Report ${reportedName}` }).click();
    const dialog = page.getByRole("dialog", { name: "Report this clone" });
    await dialog.getByRole("radio", { name: /Impersonation/ }).check();
    await dialog.getByRole("textbox", { name: /What is wrong/ }).fill("It claims to be a real oceanographer it is not.");
    await shoot(page, "moderation-report-dialog-1280.png");
    await dialog.getByRole("button", { name: "Send report" }).click();
    await dialog.getByText("Thank you: your report was sent").waitFor();
    await dialog.getByRole("button", { name: "Close" }).first().click();

    // …and an answer from the chat.
    await page.goto(`${baseUrl}/sessions/${encodeURIComponent(session.id)}`);
    await page.locator('[data-testid="assistant-message"][data-state="done"]').last().waitFor();
    await page.getByRole("button", { name: "Report this answer" }).last().click();
    const answerDialog = page.getByRole("dialog", { name: "Report this answer" });
    await answerDialog.getByRole("radio", { name: /Misleading/ }).check();
    await answerDialog.getByRole("button", { name: "Send report" }).click();
    await answerDialog.getByText("Thank you: your report was sent").waitFor();
    assert.deepEqual(reporter.pageErrors, []);
  } finally {
    await reporter.context.close();
  }
  assert.ok(await inMarketplace(reportedName), "one user's reports do not hide the clone");

  // The admin hides it from the Reports tab, with a reason.
  const moderator = await signedInPage(browser, admin);
  try {
    const { page } = moderator;
    await page.goto(`${baseUrl}/admin/reports`);
    const group = page.getByTestId("reported-clone").filter({ hasText: reportedName }).locator("xpath=..");
    await group.getByText("2 open reports from 1 user").waitFor();
    await shoot(page, "moderation-admin-reports-1280.png");
    // The reported answer leads to its conversation; the read needs the reason (suggested from the report) and is logged.
    await group.getByRole("link", { name: "Read the conversation (audit-logged)" }).click();
    await page.getByRole("textbox", { name: "Reason" }).waitFor();
    assert.match(await page.getByRole("textbox", { name: "Reason" }).inputValue(), /^Reviewing a report about an answer: Misleading$/);
    await page.getByRole("button", { name: "Read the conversation", exact: true }).click();
    await page.getByRole("list", { name: "Messages" }).getByText("Who are you really?").waitFor();
    await page.goto(`${baseUrl}/admin/reports`);
    await group.getByText("2 open reports from 1 user").waitFor();
    await page.getByRole("button", { name: `Hide clone ${reportedName}` }).click();
    await group.getByRole("textbox", { name: "Reason" }).last().fill(hideReason);
    await group.getByRole("button", { name: "Hide clone", exact: true }).click();
    await page.getByTestId("reported-clone").filter({ hasText: reportedName }).waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Upheld" }).click();
    await page.getByTestId("reported-clone").filter({ hasText: reportedName }).getByText(/Hidden since/).waitFor();
    assert.deepEqual(moderator.pageErrors, []);
  } finally {
    await moderator.context.close();
  }
  assert.equal(await inMarketplace(reportedName), false, "the hidden clone left the marketplace");
  const anonymous = await fetch(`${baseUrl}/api/clones/${encodeURIComponent(reported.id)}`);
  assert.equal(anonymous.status, 404);

  // The owner: an email quoting the clone's name, and the banner in Studio saying why and what happens next.
  const email = await outboxEmail(dataDir, ownerEmail, (text) => text.includes("hidden from the marketplace"));
  assert.match(email, new RegExp(`Clone name: .${reportedName}.`));
  assert.ok(!email.includes("real oceanographer it is not"), "the reporter's words are not in the owner's email");
  for (const [width, options] of [
    [1280, { viewport: { width: 1280, height: 900 } }],
    [375, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true }],
  ]) {
    const ownerPage = await signedInPage(browser, owner, options);
    try {
      const { page } = ownerPage;
      await page.goto(`${baseUrl}/studio/${encodeURIComponent(reported.id)}`);
      const banner = page.getByTestId("hidden-banner");
      await banner.waitFor();
      const text = await banner.innerText();
      assert.match(text, /impersonation/);
      assert.match(text, /misleading/);
      assert.match(text, new RegExp(hideReason));
      assert.match(text, /What happens next/);
      assert.ok(!text.includes("Rita"), "the owner is not told who reported");
      await shoot(page, `moderation-owner-banner-${width}.png`);
      // The banner fits a phone (the editor's form below it is Studio's own layout, not checked here).
      const box = await banner.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= (width === 375 ? 375 : 1280) + 1, `the banner overflows at ${width} px: ${JSON.stringify(box)}`);
      assert.deepEqual(ownerPage.pageErrors, []);
    } finally {
      await ownerPage.context.close();
    }
  }
});

test("the audit log shows the admin's hide with its reason, in the console and through its API", async () => {
  const { admin, reported } = world;
  const console = await signedInPage(browser, admin);
  try {
    const { page } = console;
    await page.goto(`${baseUrl}/admin/audit`);
    await page.getByRole("heading", { level: 1, name: "Audit log" }).waitFor();
    const row = page.getByRole("row").filter({ hasText: hideReason });
    await row.getByText("Hid the clone").waitFor();
    await row.getByText(adminEmail).waitFor();
    await page.getByRole("row").filter({ hasText: "Read a conversation" }).getByText("Reviewing a report about an answer: Misleading").waitFor();
    await shoot(page, "moderation-admin-audit-1280.png");
    assert.deepEqual(console.pageErrors, []);
  } finally {
    await console.context.close();
  }
  const entries = await call("GET", "/api/admin/audit?pageSize=50", undefined, admin.accessToken);
  const text = JSON.stringify(entries);
  assert.ok(text.includes("clone.hidden"), `no clone.hidden entry in ${text.slice(0, 500)}`);
  const hide = entries.items.find((e) => e.action === "clone.hidden" && e.targetId === reported.id);
  assert.ok(hide, "the hide of the reported clone is in the audit log");
  assert.equal(hide.reason, hideReason);
});

test("after an admin approves a creator's verification, the Verified badge shows on the marketplace, the clone page and in the chat", async () => {
  const { expert, user, admin, verified } = world;

  // The creator asks in Studio.
  const creator = await signedInPage(browser, expert);
  try {
    const { page } = creator;
    await page.goto(`${baseUrl}/studio`);
    await page.getByRole("button", { name: "Request verification" }).click();
    await page.getByRole("textbox", { name: "Evidence links" }).fill("https://example.com/vera\nhttps://example.org/papers/vera");
    await page.getByRole("textbox", { name: "Statement" }).fill("I have studied tides for twenty years; these pages list my work.");
    await page.getByRole("button", { name: "Send request" }).click();
    await page.getByTestId("verification-status").filter({ hasText: "waiting for review" }).waitFor();
  } finally {
    await creator.context.close();
  }

  // The admin approves it with a reason.
  const moderator = await signedInPage(browser, admin);
  try {
    const { page } = moderator;
    await page.goto(`${baseUrl}/admin/verification`);
    const item = page.getByTestId("admin-verification").filter({ hasText: "Vera Expert" });
    await item.getByRole("link", { name: /example\.com\/vera/ }).waitFor();
    await shoot(page, "moderation-admin-verification-1280.png");
    await item.getByRole("button", { name: "Approve…" }).click();
    await item.getByRole("textbox", { name: "Reason" }).fill("Checked the university page");
    await item.getByRole("button", { name: "Approve verification" }).click();
    await item.waitFor({ state: "detached" });
  } finally {
    await moderator.context.close();
  }

  const session = await sessionWithAnswer(user.accessToken, verified.id);
  for (const [width, options] of [
    [1280, { viewport: { width: 1280, height: 900 } }],
    [375, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true }],
  ]) {
    const visitor = await signedInPage(browser, user, options);
    try {
      const { page } = visitor;
      await page.goto(`${baseUrl}/`);
      // .first(): the clone may show in more than one row of the home page (For you, All clones).
      const card = page.getByRole("article").filter({ hasText: verifiedName }).first();
      await card.getByTestId("verified-badge").waitFor();
      await shoot(page, `moderation-verified-marketplace-${width}.png`);

      await page.goto(`${baseUrl}/clones/${encodeURIComponent(verified.slug)}`);
      const badge = page.getByRole("main").getByTestId("verified-badge").first();
      await badge.waitFor();
      assert.match((await badge.getAttribute("title")) ?? "", /Verified/);
      await shoot(page, `moderation-verified-clone-${width}.png`);
      if (width === 375) {
        const overflow = await noHorizontalOverflow(page);
        assert.ok(overflow.scrollWidth <= overflow.width, `horizontal overflow at 375 px: ${JSON.stringify(overflow)}`);
      }

      // The owner's name leads to their public profile, verified.
      await page.getByRole("link", { name: "Vera Expert" }).click();
      await page.getByRole("heading", { level: 1, name: "Vera Expert" }).waitFor();
      await page.getByRole("main").getByTestId("verified-badge").first().waitFor();
      await shoot(page, `moderation-creator-profile-${width}.png`);

      await page.goto(`${baseUrl}/sessions/${encodeURIComponent(session.id)}`);
      await page.getByRole("banner", { name: "Session" }).or(page.locator('header[aria-label="Session"]')).first().getByTestId("verified-badge").waitFor();
      await shoot(page, `moderation-verified-chat-${width}.png`);
      assert.deepEqual(visitor.pageErrors, []);
    } finally {
      await visitor.context.close();
    }
  }
});
