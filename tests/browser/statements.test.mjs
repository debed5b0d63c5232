// Statements in the browser: a user who funded their wallet and had a paid session sees this month's statement on
// /statements, opens its HTML view (the clone's hostile name shown as text, never run) and downloads the PDF, from the list
// and from the view; at 1280 and 375 px, with screenshots.
//
//   BASE_URL=http://127.0.0.1:7123 CLONEAI_DATA=/path/to/data node --test tests/browser/statements.test.mjs
// Without BASE_URL the test starts functions/CloneAI.Local (built in Release) on a free port with a fresh data folder.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { apiClient, fundWallet, noHorizontalOverflow, shoot, signedInPage, startEnvironment, uploadReady, verifiedAccount } from "./lib.mjs";

let baseUrl = "";
let dataDir = "";
/** @type {import("playwright-core").Browser} */
let browser;
let stop = async () => {};
let hostLog = () => "";

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const password = `Correct-horse-${run}`;
// A clone name that would run if the statement page put it into HTML unencoded.
const cloneName = `<script>window.__pwned=1</script> Tide Guide ${run}`;
const READY_TIMEOUT_MS = 120_000;
const PDF_NAME = /^cloneai-ST-\d{4}-\d{2}-[0-9A-F]{6}\.pdf$/;

/** { user, month, statement } once set up. */
let world;

before(async () => {
  ({ baseUrl, dataDir, browser, stop, hostLog } = await startEnvironment());
  world = await setUp();
});

after(async () => {
  await stop();
});

const call = (...args) => apiClient(baseUrl)(...args);

async function setUp() {
  const creator = await verifiedAccount(baseUrl, dataDir, `statements-creator-${run}@example.com`, password, "Cora Creator");
  await call("POST", "/api/me/creator", undefined, creator.accessToken);
  const categories = await call("GET", "/api/categories");
  const clone = await call(
    "POST",
    "/api/clones",
    {
      name: cloneName,
      category: categories[0]?.id,
      tagline: "Tides, from its sources",
      description: "A clone that answers questions about tides.",
      persona: { greeting: "Ask me about tides.", instructions: "Answer from the sources.", answerLength: "short" },
      pricing: { perMinute: 50, perMessage: 10, currency: "USD", freeMessages: 0 },
    },
    creator.accessToken,
  );
  const text = "# Tides\n\nTides are caused mainly by the gravitational pull of the Moon on the oceans.";
  await uploadReady(baseUrl, creator.accessToken, clone.id, { name: "tides.md", text, type: "text/markdown" }, READY_TIMEOUT_MS, hostLog);
  await call("POST", `/api/clones/${encodeURIComponent(clone.id)}/publish`, undefined, creator.accessToken);

  const user = await verifiedAccount(baseUrl, dataDir, `statements-user-${run}@example.com`, password, "Una User");
  await fundWallet({ baseUrl, accessToken: user.accessToken }, 2000);
  // A paid session: one question (the clock starts), then the end; its minute and message are charged to the wallet.
  const session = await call("POST", `/api/clones/${encodeURIComponent(clone.id)}/sessions`, {}, user.accessToken);
  const asked = await call("POST", `/api/sessions/${encodeURIComponent(session.id)}/messages`, { content: "What causes the tides?", clientMessageId: randomUUID() }, user.accessToken);
  assert.ok(asked.content, "the question was answered");
  await call("POST", `/api/sessions/${encodeURIComponent(session.id)}/end`, undefined, user.accessToken);

  const list = await call("GET", "/api/me/invoices", undefined, user.accessToken);
  const statement = list.items[0];
  assert.ok(statement, `the user has a statement: ${JSON.stringify(list)}`);
  assert.equal(statement.status, "open");
  assert.ok(statement.total > 0, `the session was charged: ${JSON.stringify(statement)}`);
  const detail = await call("GET", `/api/me/invoices/${statement.id}`, undefined, user.accessToken);
  assert.ok(detail.lines.some((l) => l.kind === "top-up"), `a top-up line: ${JSON.stringify(detail.lines)}`);
  assert.ok(detail.lines.some((l) => l.kind === "session" && l.description.startsWith(`Session with ${cloneName}`)), `a session line: ${JSON.stringify(detail.lines)}`);
  return { user, month: statement.id, statement };
}

/** Saves the download that `click` starts, and returns its name and bytes. */
async function download(page, click) {
  const [file] = await Promise.all([page.waitForEvent("download"), click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: await readFile(path) };
}

const VIEWPORTS = [
  { name: "1280", viewport: { width: 1280, height: 900 } },
  { name: "375", viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true },
];

for (const { name: width, viewport, ...options } of VIEWPORTS) {
  test(`this month's statement is listed, viewed and downloaded as a PDF at ${width} px`, async () => {
    const { context, page, pageErrors } = await signedInPage(browser, world.user, { viewport, ...options, acceptDownloads: true });
    try {
      await page.goto(`${baseUrl}/statements`);
      await page.getByRole("heading", { level: 1, name: "Statements" }).waitFor();
      const row = page.getByTestId("statement-row").first();
      await row.waitFor();
      const period = new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${world.month}-01T00:00:00Z`));
      assert.equal(await row.getByRole("heading").textContent(), period);
      assert.match(await row.textContent(), /Open/);
      assert.match(await row.textContent(), new RegExp(world.statement.number));
      const overflow = await noHorizontalOverflow(page);
      assert.ok(overflow.scrollWidth <= overflow.width, `the list overflows at ${width} px: ${JSON.stringify(overflow)}`);
      await shoot(page, `statements-${width}.png`);

      // The PDF from the list.
      const listed = await download(page, () => row.getByRole("button", { name: `Download the PDF for ${period}` }).click());
      assert.match(listed.name, PDF_NAME);
      assert.equal(listed.bytes.subarray(0, 4).toString("latin1"), "%PDF");

      // The HTML view: the statement's lines, the clone's name as text.
      await row.getByRole("link", { name: `View the statement for ${period}` }).click();
      await page.waitForURL(`**/statements/${world.month}`);
      const frame = page.frameLocator('iframe[title="Statement"]');
      await frame.getByRole("heading", { level: 1, name: "CloneAI" }).waitFor();
      await frame.getByText(world.statement.number).first().waitFor();
      await frame.getByText("Top-up").first().waitFor();
      const line = frame.getByText(`Session with ${cloneName}`, { exact: false });
      await line.first().waitFor();
      assert.equal(await frame.locator("script").count(), 0, "no script element in the statement");
      assert.equal(await page.evaluate(() => /** @type {any} */ (window).__pwned), undefined, "the clone's name did not run");
      const frameOverflow = await page.frameLocator('iframe[title="Statement"]').locator("html").evaluate((html) => ({ scrollWidth: html.scrollWidth, width: html.clientWidth }));
      assert.ok(frameOverflow.scrollWidth <= frameOverflow.width + 1, `the statement overflows at ${width} px: ${JSON.stringify(frameOverflow)}`);
      const viewOverflow = await noHorizontalOverflow(page);
      assert.ok(viewOverflow.scrollWidth <= viewOverflow.width, `the view overflows at ${width} px: ${JSON.stringify(viewOverflow)}`);
      await page.waitForTimeout(300);
      await shoot(page, `statement-view-${width}.png`);

      // The PDF from the view.
      const viewed = await download(page, () => page.getByRole("button", { name: "Download PDF" }).click());
      assert.equal(viewed.name, listed.name);
      assert.equal(viewed.bytes.subarray(0, 4).toString("latin1"), "%PDF");
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });
}

test("another user has no statement and cannot open this one", async () => {
  const other = await verifiedAccount(baseUrl, dataDir, `statements-other-${run}@example.com`, password, "Otto Other");
  const { context, page } = await signedInPage(browser, other);
  try {
    await page.goto(`${baseUrl}/statements`);
    await page.getByText("No statements yet").waitFor();
    await page.goto(`${baseUrl}/statements/${world.month}`);
    await page.getByText("We couldn't load this statement").waitFor();
    assert.equal(await page.locator('iframe[title="Statement"]').count(), 0);
  } finally {
    await context.close();
  }
});
