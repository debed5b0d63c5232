// Browser test of "Your data" in headless Chromium:
// (setup through the API) a user signs up (verified), funds the wallet and writes a memory.
// (in the UI) /terms and /privacy show the version GET /api/terms gives; the profile page says which terms the user
// accepted -> "Export my data" -> the status says it is being built, then ready -> "Download the export" saves a zip that
// holds profile.json, memories.json and ledger.json; the emailed link downloads the same zip without signing in ->
// "Delete my account" -> the dialog says what goes and what is kept under a pseudonym -> a wrong password is shown beside
// the field -> the right one deletes: signed out on the home page with a notice, and the account cannot sign in again.
// The profile page and the dialog fit 375 px. Screenshots at 1280 and 375 px go to tests/browser/screenshots.
//
//   BASE_URL=http://127.0.0.1:7123 CLONEAI_DATA=/path/to/data node --test tests/browser/data.test.mjs
// Without BASE_URL the test starts functions/CloneAI.Local (built in Release) on a free port with a fresh data folder.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { apiClient, fundWallet, noHorizontalOverflow, outboxEmail, shoot, signedInPage, startEnvironment, userApi, verifiedAccount } from "./lib.mjs";

let baseUrl = "";
let dataDir = "";
/** @type {import("playwright-core").Browser} */
let browser;
/** @type {() => Promise<void>} */
let stop = async () => {};

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const password = `Correct-horse-${run}`;

before(async () => {
  ({ baseUrl, dataDir, browser, stop } = await startEnvironment());
});

after(async () => {
  await stop();
});

/** The names of the entries of a zip file, read from its central directory. */
function zipEntries(buffer) {
  const names = [];
  const end = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, "not a zip file");
  let offset = buffer.readUInt32LE(end + 16);
  const count = buffer.readUInt16LE(end + 10);
  for (let i = 0; i < count; i++) {
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extra = buffer.readUInt16LE(offset + 30);
    const comment = buffer.readUInt16LE(offset + 32);
    names.push(buffer.subarray(offset + 46, offset + 46 + nameLength).toString("utf8"));
    offset += 46 + nameLength + extra + comment;
  }
  return names;
}

test("a user reads the terms, exports their data, downloads it, and deletes the account", async () => {
  const email = `data-user-${run}@example.com`;
  const tokens = await verifiedAccount(baseUrl, dataDir, email, password, "Dana Data");
  const api = userApi(baseUrl, tokens.accessToken);
  await fundWallet(api, 1000);
  await api("POST", "/api/me/memories", { kind: "preference", text: "I prefer short answers" });
  const { version } = await apiClient(baseUrl)("GET", "/api/terms");

  const { context, page, pageErrors } = await signedInPage(browser, tokens, { acceptDownloads: true });
  try {
    // The terms and privacy pages, from the footer, with the version sign-up records.
    await page.goto(`${baseUrl}/`);
    await page.getByRole("contentinfo").getByRole("link", { name: "Terms" }).click();
    await page.getByRole("heading", { level: 1, name: "Terms of service" }).waitFor();
    await page.getByTestId("terms-version").getByText(`Version ${version}.`).waitFor();
    await page.getByRole("contentinfo").getByRole("link", { name: "Privacy" }).click();
    await page.getByRole("heading", { level: 1, name: "Privacy notice" }).waitFor();
    await page.getByTestId("terms-version").getByText(`Version ${version}.`).waitFor();
    await shoot(page, "privacy.png");

    // The profile page: the terms accepted, then an export.
    await page.goto(`${baseUrl}/profile`);
    await page.getByRole("heading", { name: "Your data", exact: true }).waitFor();
    const me = await api("GET", "/api/me");
    if (me.termsVersion) await page.getByText(`You accepted the terms of ${me.termsVersion} on`).waitFor();
    await page.getByRole("button", { name: "Export my data" }).click();
    await page.getByTestId("export-status").getByText(/being built|is ready/).waitFor();
    await page.getByRole("button", { name: "Download the export" }).waitFor({ timeout: 60_000 });
    await page.getByTestId("export-status").getByText(/is ready/).waitFor();
    await shoot(page, "data-profile.png");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download the export" }).click()]);
    const zip = await readFile(await download.path());
    const entries = zipEntries(zip);
    for (const section of ["profile.json", "memories.json", "ledger.json"]) assert.ok(entries.includes(section), `${section} is not in the zip: ${entries.join(", ")}`);

    // The emailed link downloads the same export without signing in.
    const mail = await outboxEmail(dataDir, email, (t) => t.includes("/download?token="));
    const link = /https?:\/\/[^\s"'<>]*\/api\/me\/exports\/[^/\s]+\/download\?token=[A-Za-z0-9_\-%]+/.exec(mail)?.[0];
    assert.ok(link, `no download link in: ${mail}`);
    const viaLink = await fetch(`${baseUrl}${new URL(link).pathname}${new URL(link).search}`);
    assert.equal(viaLink.status, 200);
    assert.ok(zipEntries(Buffer.from(await viaLink.arrayBuffer())).includes("profile.json"));

    // Delete: the dialog says what goes and what stays; a wrong password first.
    await page.getByRole("button", { name: "Delete my account" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete your account?" });
    await dialog.getByText(/Deleted for good/).waitFor();
    await dialog.getByText(/Kept without your name/).waitFor();
    await dialog.getByLabel("Your password").fill("not my password");
    await dialog.getByRole("button", { name: "Delete my account" }).click();
    await dialog.getByText("That password is not right.").waitFor();
    await shoot(page, "data-delete-dialog.png");
    await dialog.getByLabel("Your password").fill(password);
    await dialog.getByRole("button", { name: "Delete my account" }).click();
    await page.waitForURL(`${baseUrl}/`);
    await page.getByText("Your account was deleted").waitFor();
    await page.getByRole("link", { name: /Sign in|Log in/ }).first().waitFor();
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }

  // The account is gone: it cannot sign in, and its old token is refused.
  const login = await fetch(`${baseUrl}/api/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email, password }) });
  assert.equal(login.status, 401);
  const old = await fetch(`${baseUrl}/api/me`, { headers: { Authorization: `Bearer ${tokens.accessToken}` } });
  assert.equal(old.status, 401);
});

test("the profile's Your data section and the delete dialog fit 375 px", async () => {
  const tokens = await verifiedAccount(baseUrl, dataDir, `data-small-${run}@example.com`, password, "Sam Small");
  const small = await signedInPage(browser, tokens, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  try {
    await small.page.goto(`${baseUrl}/profile`);
    await small.page.getByRole("heading", { name: "Your data", exact: true }).waitFor();
    let { scrollWidth, width, offenders } = await noHorizontalOverflow(small.page);
    assert.ok(scrollWidth <= width, `the profile page overflows 375 px (${scrollWidth} > ${width}): ${offenders.join(", ")}`);
    await shoot(small.page, "data-profile-375.png");
    await small.page.getByRole("button", { name: "Delete my account" }).click();
    await small.page.getByRole("dialog", { name: "Delete your account?" }).waitFor();
    ({ scrollWidth, width, offenders } = await noHorizontalOverflow(small.page));
    assert.ok(scrollWidth <= width, `the delete dialog overflows 375 px (${scrollWidth} > ${width}): ${offenders.join(", ")}`);
    await shoot(small.page, "data-delete-dialog-375.png");
  } finally {
    await small.context.close();
  }
});
