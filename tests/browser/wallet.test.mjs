// Browser test of the wallet in headless Chromium, with the default (test) payment provider:
// (setup through the API) a user signs up and verifies the email from the outbox.
// (in the UI) the header's balance chip shows $0.00 -> open the wallet -> choose $10 -> Continue to checkout -> the
// checkout page is marked TEST MODE and shows $10.00 -> pay with 4242 4242 4242 4242 -> back on the wallet, which shows
// $10.00, the chip too, and a "Top-up" transaction. A second top-up paid with 4000 0000 0000 0002 shows the decline, credits
// nothing, and "Try again" opens a new checkout of the same amount. The wallet and the checkout fit 375 px. Screenshots of
// both pages at 1280 and 375 px go to tests/browser/screenshots. fundWallet (lib.mjs) credits a wallet through the API.
//
//   BASE_URL=http://127.0.0.1:7123 CLONEAI_DATA=/path/to/data node --test tests/browser/wallet.test.mjs
// Without BASE_URL the test starts functions/CloneAI.Local (built in Release) on a free port with a fresh data folder.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fundWallet, noHorizontalOverflow, shoot, signedInPage, startEnvironment, userApi, verifiedAccount } from "./lib.mjs";

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

async function fits(page, what) {
  const { scrollWidth, width, offenders } = await noHorizontalOverflow(page);
  assert.ok(scrollWidth <= width, `${what} overflows 375 px (${scrollWidth} > ${width}): ${offenders.join(", ")}`);
}

test("a user tops up $10 on the TEST MODE checkout, and a declined card credits nothing", async () => {
  const tokens = await verifiedAccount(baseUrl, dataDir, `wallet-${run}@example.com`, password, "Walt Wallet");
  const api = userApi(baseUrl, tokens.accessToken);
  const { context, page, pageErrors } = await signedInPage(browser, tokens);
  try {
    await page.goto(`${baseUrl}/`);
    const chip = page.getByTestId("balance-chip");
    await assert.doesNotReject(chip.filter({ hasText: "$0.00" }).waitFor());
    await chip.click();
    await page.waitForURL(`${baseUrl}/wallet`);
    await page.getByRole("heading", { level: 1, name: "Wallet" }).waitFor();
    assert.equal(await page.getByTestId("wallet-balance").textContent(), "$0.00");
    await page.getByText("No transactions yet").waitFor();

    // $10 through the checkout.
    await page.getByRole("button", { name: "$10.00" }).click();
    await page.getByRole("button", { name: "Continue to checkout" }).click();
    await page.waitForURL(/\/checkout\/[^/]+$/);
    await page.getByTestId("test-mode-banner").waitFor();
    assert.match(await page.getByTestId("test-mode-banner").textContent(), /test mode/i);
    assert.equal(await page.getByTestId("checkout-amount").textContent(), "$10.00");
    await shoot(page, "wallet-checkout.png");
    await page.getByLabel("Card number").fill("4242424242424242");
    assert.equal(await page.getByLabel("Card number").inputValue(), "4242 4242 4242 4242");
    await page.getByRole("button", { name: "Pay $10.00" }).click();

    await page.waitForURL(`${baseUrl}/wallet`);
    await page.getByText("$10.00 was added to your wallet.").waitFor();
    await page.getByTestId("wallet-balance").filter({ hasText: "$10.00" }).waitFor();
    await chip.filter({ hasText: "$10.00" }).waitFor();
    const rows = page.getByTestId("transaction-row");
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().textContent(), /Top-up.*\+\$10\.00/s);
    assert.equal((await api("GET", "/api/wallet")).balance, 1000);
    await shoot(page, "wallet.png");

    // A declined card: the decline is shown, nothing is credited, and trying again is a new checkout of the same amount.
    await page.getByRole("button", { name: "$5.00" }).click();
    await page.getByRole("button", { name: "Continue to checkout" }).click();
    await page.waitForURL(/\/checkout\/[^/]+$/);
    const declinedUrl = page.url();
    await page.getByRole("button", { name: "4000 0000 0000 0002" }).click();
    await page.getByRole("button", { name: "Pay $5.00" }).click();
    await page.getByText("Your card was declined").waitFor();
    await shoot(page, "wallet-declined.png");
    assert.equal((await api("GET", "/api/wallet")).balance, 1000);
    const declinedId = decodeURIComponent(declinedUrl.split("/").pop() ?? "");
    assert.equal((await api("GET", `/api/wallet/top-ups/${encodeURIComponent(declinedId)}`)).status, "failed");
    await page.getByRole("button", { name: "Try again" }).click();
    await page.waitForURL((url) => url.pathname.startsWith("/checkout/") && url.href !== declinedUrl);
    assert.equal(await page.getByTestId("checkout-amount").textContent(), "$5.00");
    await page.getByRole("button", { name: "Pay $5.00" }).waitFor();
    await chip.filter({ hasText: "$10.00" }).waitFor();

    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});

test("the wallet and the checkout fit 375 px, and fundWallet credits a wallet through the API", async () => {
  const tokens = await verifiedAccount(baseUrl, dataDir, `wallet-mobile-${run}@example.com`, password, "Mo Mobile");
  const api = userApi(baseUrl, tokens.accessToken);
  assert.equal(await fundWallet(api, 2500), 2500);
  assert.equal(await fundWallet({ baseUrl, accessToken: tokens.accessToken }, 500), 3000);
  const { context, page } = await signedInPage(browser, tokens, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  try {
    await page.goto(`${baseUrl}/wallet`);
    await page.getByTestId("wallet-balance").filter({ hasText: "$30.00" }).waitFor();
    await page.getByTestId("balance-chip").filter({ hasText: "$30.00" }).waitFor();
    await page.getByTestId("transaction-row").nth(1).waitFor();
    await fits(page, "The wallet");
    await shoot(page, "wallet-mobile.png");

    await page.getByRole("button", { name: "$25.00" }).click();
    await page.getByRole("button", { name: "Continue to checkout" }).click();
    await page.waitForURL(/\/checkout\/[^/]+$/);
    await page.getByTestId("checkout-amount").filter({ hasText: "$25.00" }).waitFor();
    await fits(page, "The checkout");
    await shoot(page, "wallet-checkout-mobile.png");
  } finally {
    await context.close();
  }
});
