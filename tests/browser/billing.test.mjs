// Paid sessions in the browser, drawn from the wallet. Through the API: a creator publishes a clone that costs $1.00 a
// question (no free messages, no per-minute price); a user tops up $1.50 with the TEST MODE card.
// (in the UI, as the user) the clone's page shows the price and what the balance covers ("about 1 message") with a Top up
// link -> Start session -> ask: the answer costs $1.00, the header chip drops to $0.50 and the chat notes the low balance ->
// ask again: the wallet cannot pay, so the session ends out of credit with a Top up button that opens the wallet. The wallet
// was charged once and never below zero. At 375 px the chat with the out-of-credit note fits. Screenshots at 1280 and 375 px.
//
//   BASE_URL=http://127.0.0.1:7123 CLONEAI_DATA=/path/to/data node --test tests/browser/billing.test.mjs
// Without BASE_URL the test starts functions/CloneAI.Local (built in Release) on a free port with a fresh data folder.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { apiClient, fundWallet, noHorizontalOverflow, shoot, publishedTideClone, signedInPage, startEnvironment, userApi, verifiedAccount } from "./lib.mjs";

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const password = `Correct-horse-${run}`;
const cloneName = `Tide Meter ${run}`;
const READY_TIMEOUT_MS = 120_000;
const PER_MESSAGE = 100; // $1.00 a question
const FUNDS = 150; // $1.50: one question, then out of credit

let baseUrl = "";
let dataDir = "";
/** @type {import("playwright-core").Browser} */
let browser;
let stop = async () => {};
let hostLog = () => "";

before(async () => {
  ({ baseUrl, dataDir, browser, stop, hostLog } = await startEnvironment());
});

after(async () => {
  await stop();
});

const call = (...args) => apiClient(baseUrl)(...args);
const account = (email, displayName) => verifiedAccount(baseUrl, dataDir, email, password, displayName);

async function pricedClone() {
  const creator = await account(`billing-creator-${run}@example.com`, "Cora Creator");
  await call("POST", "/api/me/creator", undefined, creator.accessToken);
  const clone = await publishedTideClone(baseUrl, creator.accessToken, { name: cloneName, pricing: { perMessage: PER_MESSAGE, currency: "USD", freeMessages: 0 } }, READY_TIMEOUT_MS, hostLog);
  return clone;
}

test("a paid session draws from the wallet, warns when it runs low and ends out of credit with a way to top up", async () => {
  const clone = await pricedClone();
  const user = await account(`billing-user-${run}@example.com`, "Una User");
  const api = userApi(baseUrl, user.accessToken);
  assert.equal(await fundWallet(api, FUNDS), FUNDS);

  for (const viewport of [{ width: 1280, height: 900 }, { width: 375, height: 812 }]) {
    const mobile = viewport.width === 375;
    if (mobile) assert.equal(await fundWallet(api, PER_MESSAGE), FUNDS); // the second round starts from $1.50 again
    const { context, page, pageErrors } = await signedInPage(browser, user, { viewport });
    try {
      await page.goto(`${baseUrl}/clones/${encodeURIComponent(clone.slug)}`);
      const main = page.locator("main");
      const cover = main.getByTestId("balance-cover");
      await cover.waitFor();
      assert.match(await cover.textContent(), /about 1 message/i, "the clone page says what the balance covers");
      assert.ok(await cover.getByRole("link", { name: "Top up" }).isVisible());
      if (!mobile) await shoot(page, "billing-clone-page.png");

      await main.getByRole("button", { name: "Start session" }).click();
      await page.waitForURL(/\/sessions\/[^/]+$/);
      await page.getByLabel("Message", { exact: true }).fill("What causes the tides?");
      await page.getByRole("button", { name: "Send", exact: true }).click();
      await main.locator('[data-testid="assistant-message"][data-state="done"]').nth(1).waitFor();
      await page.getByTestId("balance-chip").filter({ hasText: "$0.50" }).waitFor();
      await main.getByTestId("low-balance").waitFor();

      await page.getByLabel("Message", { exact: true }).fill("Does the Sun pull on the oceans?");
      await page.getByRole("button", { name: "Send", exact: true }).click();
      const outOfCredit = main.getByTestId("out-of-credit");
      await outOfCredit.waitFor();
      assert.equal((await api("GET", "/api/wallet")).balance, FUNDS - PER_MESSAGE, "one question was paid, the second refused");
      await shoot(page, mobile ? "billing-out-of-credit-mobile.png" : "billing-out-of-credit.png");
      if (mobile) {
        const { scrollWidth, width, offenders } = await noHorizontalOverflow(page);
        assert.ok(scrollWidth <= width, `the chat overflows 375 px (${scrollWidth} > ${width}): ${offenders.join(", ")}`);
      }
      await outOfCredit.getByRole("link", { name: "Top up" }).click();
      await page.waitForURL(`${baseUrl}/wallet`);
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  }

  const sessions = (await api("GET", "/api/sessions")).items;
  assert.equal(sessions.length, 2);
  for (const s of sessions) assert.equal(s.endReason, "out-of-credit");
});
