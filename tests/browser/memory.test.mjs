// Browser test of the Memory page in headless Chromium:
// (setup through the API) a creator publishes a clone with one Ready document; a user signs up, verifies, and funds the wallet.
// (in the UI, as the user) start a session on the clone's page -> say "My goal is to run a marathon in April." -> open the
// Memory page from the account menu -> the goal is listed under the clone, the style preference is not there (none was
// said) -> edit nothing, delete the goal -> it is gone, and the API lists nothing. The per-clone toggle turns memory off
// (the API agrees). The page fits 375 px. Screenshots at 1280 and 375 px go to tests/browser/screenshots.
//
//   BASE_URL=http://127.0.0.1:7123 CLONEAI_DATA=/path/to/data node --test tests/browser/memory.test.mjs
// Without BASE_URL the test starts functions/CloneAI.Local (built in Release) on a free port with a fresh data folder.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { apiClient, fundWallet, noHorizontalOverflow, publishedTideClone, shoot, signedInPage, startEnvironment, userApi, verifiedAccount } from "./lib.mjs";

let baseUrl = "";
let dataDir = "";
/** @type {import("playwright-core").Browser} */
let browser;
/** @type {() => Promise<void>} */
let stop = async () => {};
/** @type {() => string} */
let hostLog = () => "";

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const password = `Correct-horse-${run}`;
const GOAL = "My goal is to run a marathon in April.";

before(async () => {
  ({ baseUrl, dataDir, browser, stop, hostLog } = await startEnvironment());
});

after(async () => {
  await stop();
});

test("a goal said in a session is on the Memory page, where the user deletes it and turns memory off", async () => {
  const creator = await verifiedAccount(baseUrl, dataDir, `memory-creator-${run}@example.com`, password, "Cora Coach");
  await apiClient(baseUrl)("POST", "/api/me/creator", undefined, creator.accessToken);
  const clone = await publishedTideClone(baseUrl, creator.accessToken, { name: `Tide Coach ${run}`, pricing: { perMessage: 10, currency: "USD", freeMessages: 3 } }, 120_000, hostLog);
  const tokens = await verifiedAccount(baseUrl, dataDir, `memory-user-${run}@example.com`, password, "Rita Runner");
  const api = userApi(baseUrl, tokens.accessToken);
  await fundWallet(api, 2000);

  const { context, page, pageErrors } = await signedInPage(browser, tokens);
  try {
    // A session: say the goal.
    await page.goto(`${baseUrl}/clones/${encodeURIComponent(clone.slug)}`);
    await page.getByRole("main").getByRole("button", { name: "Start session" }).click();
    await page.waitForURL(/\/sessions\/[^/]+$/);
    await page.getByLabel("Message", { exact: true }).fill(GOAL);
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await page.locator('[data-testid="assistant-message"][data-state="done"]:not([data-answer-kind="greeting"])').first().waitFor();
    // The goal is remembered once the exchange is stored (right after the answer's end frame).
    const deadline = Date.now() + 10_000;
    while (!(await api("GET", "/api/me/memories")).items.some((i) => i.kind === "goal")) {
      assert.ok(Date.now() < deadline, "the goal was not remembered");
      await new Promise((r) => setTimeout(r, 200));
    }

    // The Memory page, from the account menu.
    await page.getByRole("button", { name: "Account menu" }).click();
    await page.getByRole("menuitem", { name: "Memory" }).click();
    await page.waitForURL(`${baseUrl}/memory`);
    await page.getByRole("heading", { level: 1, name: "Memory" }).waitFor();
    const group = page.locator(`[data-testid="memory-group"][data-clone-id="${clone.id}"]`);
    await group.getByRole("heading", { name: clone.name }).waitFor();
    const goal = group.getByTestId("memory-item").filter({ hasText: "Run a marathon in April" });
    await goal.waitFor();
    assert.equal(await goal.getAttribute("data-kind"), "goal");
    await shoot(page, "memory.png");

    // Delete it: gone from the page and from the API.
    await goal.getByRole("button", { name: "Delete: Run a marathon in April" }).click();
    await goal.waitFor({ state: "detached" });
    await group.getByText(/remembers nothing about you yet/).waitFor();
    assert.deepEqual((await api("GET", "/api/me/memories")).items, []);

    // Memory off for this clone.
    const toggle = group.getByRole("checkbox", { name: `Remember me with ${clone.name}` });
    assert.equal(await toggle.isChecked(), true);
    await toggle.click();
    await group.getByText(/Memory is off/).waitFor();
    assert.equal((await api("GET", `/api/me/clone-settings/${encodeURIComponent(clone.id)}`)).memoryEnabled, false);
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }

  // 375 px: the page fits.
  const small = await signedInPage(browser, tokens, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  try {
    await small.page.goto(`${baseUrl}/memory`);
    await small.page.getByRole("heading", { level: 1, name: "Memory" }).waitFor();
    await small.page.getByTestId("clone-settings").first().waitFor();
    const { scrollWidth, width, offenders } = await noHorizontalOverflow(small.page);
    assert.ok(scrollWidth <= width, `the Memory page overflows 375 px (${scrollWidth} > ${width}): ${offenders.join(", ")}`);
    await shoot(small.page, "memory-375.png");
  } finally {
    await small.context.close();
  }
});
