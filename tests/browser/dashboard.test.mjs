// Browser test of the creator dashboard in headless Chromium. Through the API: a creator makes a free clone (no wallet
// needed) with two documents (tides.md, volcanoes.md) and publishes it; another user has a session with it, asks two
// questions about the tides and one it cannot answer (the capital of Peru), ends it and rates it with a comment; the
// creator also tries it (a preview, not counted). In the UI, as the creator: the clone's Dashboard tab shows the session,
// the rating and comment, one group for the two tide questions, the gap with "Add a document" (which opens the Knowledge
// tab), and the documents by citations with volcanoes.md never cited; the period picker changes the address; the
// all-clones dashboard (/dashboard) lists the clone. Screenshots at 1280 and 375 px: dashboard.png, dashboard-mobile.png,
// dashboard-all.png, dashboard-all-mobile.png.
//
//   BASE_URL=http://127.0.0.1:7123 CLONEAI_DATA=/path/to/data node --test tests/browser/dashboard.test.mjs
// Without BASE_URL the test starts functions/CloneAI.Local (built in Release) on a free port with a fresh data folder.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { apiClient, noHorizontalOverflow, shoot, signedInPage, startEnvironment, uploadReady, verifiedAccount } from "./lib.mjs";

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
const cloneName = `Tide Tutor ${run}`;
const READY_TIMEOUT_MS = 120_000;
const TIDES = [
  "# Tides",
  "",
  "Tides are caused mainly by the gravitational pull of the Moon on the oceans, with the Sun adding a smaller pull of its own.",
  "",
  "When the Sun and the Moon line up, at new and full moon, their pulls add up and make spring tides with the largest range.",
].join("\n");
const VOLCANOES = "# Volcanoes\n\nVolcanoes erupt when magma rises through the crust of the Earth and escapes as lava, ash and gas.\n";
const GAP = "What is the capital of Peru?";

before(async () => {
  ({ baseUrl, dataDir, browser, stop, hostLog } = await startEnvironment());
});

after(async () => {
  await stop();
});

const call = (...args) => apiClient(baseUrl)(...args);

async function setUp() {
  const creator = await verifiedAccount(baseUrl, dataDir, `dash-creator-${run}@example.com`, password, "Dana Creator");
  const token = creator.accessToken;
  await call("POST", "/api/me/creator", undefined, token);
  const categories = await call("GET", "/api/categories");
  const clone = await call(
    "POST",
    "/api/clones",
    {
      name: cloneName,
      category: categories[0]?.id,
      tagline: "Tides, free",
      description: "A free clone that answers questions about tides from its sources.",
      persona: { greeting: "Hi! Ask me about tides.", instructions: "Answer from the sources.", dontKnowMessage: "I don't know that from my sources." },
      pricing: { perMinute: 0, currency: "USD", freeMessages: 0 },
    },
    token,
  );
  await uploadReady(baseUrl, token, clone.id, { name: "tides.md", text: TIDES, type: "text/markdown" }, READY_TIMEOUT_MS, hostLog);
  await uploadReady(baseUrl, token, clone.id, { name: "volcanoes.md", text: VOLCANOES, type: "text/markdown" }, READY_TIMEOUT_MS, hostLog);
  await call("POST", `/api/clones/${encodeURIComponent(clone.id)}/publish`, undefined, token);

  const user = await verifiedAccount(baseUrl, dataDir, `dash-user-${run}@example.com`, password, "Uma User");
  const session = await call("POST", `/api/clones/${encodeURIComponent(clone.id)}/sessions`, {}, user.accessToken);
  for (const content of ["What causes the tides?", "Why do we have tides?", GAP]) {
    await call("POST", `/api/sessions/${encodeURIComponent(session.id)}/messages`, { content, clientMessageId: randomUUID() }, user.accessToken);
  }
  await call("POST", `/api/sessions/${encodeURIComponent(session.id)}/end`, undefined, user.accessToken);
  await call("POST", `/api/sessions/${encodeURIComponent(session.id)}/rating`, { stars: 4, comment: "Clear about the Moon" }, user.accessToken);
  // The creator's own try: a preview, left out of the dashboard.
  const preview = await call("POST", `/api/clones/${encodeURIComponent(clone.id)}/sessions`, {}, token);
  await call("POST", `/api/sessions/${encodeURIComponent(preview.id)}/messages`, { content: "Owner only question", clientMessageId: randomUUID() }, token);
  return { creator, clone };
}

test("a creator sees another user's sessions on the dashboard: counts, the gap and the documents", async () => {
  const { creator, clone } = await setUp();
  const { context, page, pageErrors } = await signedInPage(browser, creator);
  try {
    await page.goto(`${baseUrl}/studio/${encodeURIComponent(clone.id)}/dashboard`);
    const main = page.getByRole("main");
    await main.getByRole("heading", { name: "Top questions" }).waitFor();
    assert.equal(await page.getByRole("link", { name: "Dashboard", exact: true }).getAttribute("aria-current"), "page");

    // The tiles: one session of three questions, rated 4.
    const tile = (label) => main.getByText(label, { exact: true }).locator("xpath=..");
    assert.match(await tile("Sessions").innerText(), /^Sessions\s+1\s+3 questions$/);
    assert.match(await tile("Average rating").innerText(), /4\.0\s+1 rating/);
    assert.ok(await main.getByText("Clear about the Moon").isVisible());

    // The two tide questions are one group of 2; the question it could not answer is a gap with a shortcut.
    const top = main.getByRole("heading", { name: "Top questions" }).locator("xpath=..");
    const tides = top.getByRole("listitem").filter({ hasText: /tides/ });
    assert.equal(await tides.count(), 1);
    assert.match(await tides.innerText(), /^2\s/);
    const gaps = main.getByRole("heading", { name: "Knowledge gaps" }).locator("xpath=..");
    assert.ok(await gaps.getByText(GAP, { exact: true }).isVisible());
    assert.equal(await main.getByText("Owner only question").count(), 0, "the preview is not counted");

    // Documents by citations: tides.md cited, volcanoes.md never.
    const documents = main.getByRole("heading", { name: "Documents by citations" }).locator("xpath=..");
    const rows = documents.getByRole("listitem");
    assert.equal(await rows.count(), 2);
    assert.match(await rows.nth(0).innerText(), /tides\.md[\s\S]*\d+ citations?/);
    assert.match(await rows.nth(1).innerText(), /volcanoes\.md[\s\S]*Never cited/);

    await page.waitForTimeout(300); // the charts' first draw
    await shoot(page, "dashboard.png");

    // The period picker keeps the period in the address.
    await main.getByRole("button", { name: "Last 7 days" }).click();
    await page.waitForURL(/\/dashboard\?days=7$/);
    // The URL changes before React commits the new period, so wait for the pressed state rather than read it once.
  await main.getByRole("button", { name: "Last 7 days", pressed: true }).waitFor();
  assert.equal(await main.getByRole("button", { name: "Last 30 days", pressed: true }).count(), 0);
    await main.getByText(GAP).first().waitFor();

    // Add a document: the clone's Knowledge tab.
    await gaps.getByRole("link", { name: /Add a document/ }).click();
    await page.waitForURL(new RegExp(`/studio/${clone.id}/knowledge$`));
    await main.getByText("volcanoes.md").first().waitFor();

    // All of the creator's clones.
    await page.goto(`${baseUrl}/dashboard`);
    await main.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    const row = main.getByRole("row").filter({ has: page.getByRole("rowheader", { name: cloneName }) });
    await row.waitFor();
    assert.match(await row.innerText(), /^\S[\s\S]*\s1\s/);
    await page.waitForTimeout(300);
    await shoot(page, "dashboard-all.png");
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }

  // 375 px: the charts fit, nothing overflows.
  const phone = await signedInPage(browser, creator, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  try {
    for (const [path, name] of [
      [`/studio/${encodeURIComponent(clone.id)}/dashboard`, "dashboard-mobile.png"],
      ["/dashboard", "dashboard-all-mobile.png"],
    ]) {
      await phone.page.goto(`${baseUrl}${path}`);
      await phone.page.getByRole("main").getByRole("heading", { name: "Documents by citations" }).waitFor();
      await phone.page.getByRole("main").getByText(GAP).first().waitFor();
      await phone.page.waitForTimeout(300);
      const overflow = await noHorizontalOverflow(phone.page);
      assert.ok(overflow.scrollWidth <= overflow.width, `${path} overflows at 375 px: ${JSON.stringify(overflow)}`);
      const chart = await phone.page.locator("main figure svg").first().boundingBox();
      assert.ok(chart && chart.width > 200 && chart.width <= 375, `the chart fits the phone: ${JSON.stringify(chart)}`);
      await shoot(phone.page, name);
    }
    assert.deepEqual(phone.pageErrors, []);
  } finally {
    await phone.context.close();
  }
});
