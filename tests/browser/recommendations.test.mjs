// Browser test of the marketplace's "For you" row in headless Chromium. Through the API: a creator publishes two free clones
// in one category (a tide clone and a moon clone); a user has one session with the tide clone and ends it. In the UI: the
// signed-in user's marketplace shows "For you" above the filters, each card with its reason (the moon clone among them);
// a signed-out visitor sees no such row; at 375 px the row fits the screen. Screenshots: for-you.png, for-you-mobile.png.
//
//   BASE_URL=http://127.0.0.1:7123 CLONEAI_DATA=/path/to/data node --test tests/browser/recommendations.test.mjs
// Without BASE_URL the test starts functions/CloneAI.Local (built in Release) on a free port with a fresh data folder.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { apiClient, noHorizontalOverflow, shoot, signedInPage, startEnvironment, verifiedAccount } from "./lib.mjs";

let baseUrl = "";
let dataDir = "";
/** @type {import("playwright-core").Browser} */
let browser;
/** @type {() => Promise<void>} */
let stop = async () => {};

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const password = `Correct-horse-${run}`;
const tideName = `Tide Tutor ${run}`;
const moonName = `Moon Mentor ${run}`;
const REASON = /^(Because you rated .+ highly|Because you use .+|People who use .+ also use .+|Popular in .+|New in .+|You had .+: pick up where you left off)$/;
// The recommender reads the catalogue at most once a minute (Recommendations:SnapshotSeconds): on a shared host another test
// may have read it just before these clones were published.
const SNAPSHOT_WAIT_MS = 75_000;

before(async () => {
  ({ baseUrl, dataDir, browser, stop } = await startEnvironment());
});

after(async () => {
  await stop();
});

const call = (...args) => apiClient(baseUrl)(...args);

async function publish(token, name, tagline, description) {
  const clone = await call(
    "POST",
    "/api/clones",
    {
      name,
      category: "science",
      tagline,
      description,
      tags: ["ocean"],
      persona: { greeting: "Hi!", instructions: "Answer from the sources.", dontKnowMessage: "I don't know that from my sources." },
      pricing: { perMinute: 0, currency: "USD", freeMessages: 0 },
    },
    token,
  );
  return call("POST", `/api/clones/${encodeURIComponent(clone.id)}/publish`, undefined, token);
}

/** Loads the marketplace until "For you" shows (the snapshot may be a minute old), and returns the row. */
async function forYou(page) {
  const deadline = Date.now() + SNAPSHOT_WAIT_MS;
  for (;;) {
    await page.goto(`${baseUrl}/`);
    await page.getByRole("heading", { name: "All clones" }).waitFor();
    const row = page.getByRole("region", { name: "For you" });
    try {
      await row.waitFor({ timeout: 5_000 });
      if ((await row.getByText(moonName).count()) > 0) return row;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`"For you" with ${moonName} did not appear within ${SNAPSHOT_WAIT_MS / 1000} s`);
    await page.waitForTimeout(5_000);
  }
}

test("a user who used one clone sees For you with a reason on each card; a visitor sees none", async () => {
  const creator = await verifiedAccount(baseUrl, dataDir, `recs-creator-${run}@example.com`, password, "Rita Creator");
  await call("POST", "/api/me/creator", undefined, creator.accessToken);
  const tide = await publish(creator.accessToken, tideName, "Tides, spring and neap", "Ocean tides: why the sea rises and falls twice a day, spring and neap tides.");
  await publish(creator.accessToken, moonName, "The Moon and the sea", "The Moon's phases and how its gravity pulls the oceans into tides.");

  const user = await verifiedAccount(baseUrl, dataDir, `recs-user-${run}@example.com`, password, "Uri User");
  const session = await call("POST", `/api/clones/${encodeURIComponent(tide.id)}/sessions`, {}, user.accessToken);
  await call("POST", `/api/sessions/${encodeURIComponent(session.id)}/end`, undefined, user.accessToken);
  const api = await call("GET", "/api/me/recommendations?limit=6", undefined, user.accessToken);
  assert.ok(["blend", "cold-start"].includes(api.method));

  const { context, page, pageErrors } = await signedInPage(browser, user);
  try {
    const row = await forYou(page);
    const reasons = await row.getByTestId("for-you-reason").allInnerTexts();
    assert.ok(reasons.length >= 1);
    for (const reason of reasons) assert.match(reason.trim(), REASON);
    const moonCard = row.getByRole("listitem").filter({ hasText: moonName });
    assert.match((await moonCard.getByTestId("for-you-reason").innerText()).trim(), REASON);
    // The row is above the filters and the featured list.
    const rowTop = (await row.boundingBox())?.y ?? Infinity;
    const filtersTop = (await page.getByRole("region", { name: "Filters" }).boundingBox())?.y ?? -Infinity;
    assert.ok(rowTop < filtersTop, "For you comes before the filters");
    await shoot(page, "for-you.png");

    await page.setViewportSize({ width: 375, height: 812 });
    await row.waitFor();
    const overflow = await noHorizontalOverflow(page);
    assert.ok(overflow.scrollWidth <= overflow.width + 1, `horizontal overflow at 375 px: ${JSON.stringify(overflow)}`);
    await shoot(page, "for-you-mobile.png");

    // The card opens the clone.
    await page.setViewportSize({ width: 1280, height: 900 });
    await moonCard.getByRole("link", { name: moonName }).click();
    await page.getByRole("heading", { level: 1, name: moonName }).waitFor();
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }

  const visitor = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await visitor.newPage();
    await page.goto(`${baseUrl}/`);
    await page.getByRole("heading", { name: "All clones" }).waitFor();
    await page.getByText(moonName).first().waitFor();
    assert.equal(await page.getByRole("region", { name: "For you" }).count(), 0);
  } finally {
    await visitor.close();
  }
});
