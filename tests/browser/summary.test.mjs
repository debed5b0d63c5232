// Session summaries in the browser: a user asks a paid clone two questions in the chat page, ends the session, sees "Writing
// the summary…" turn into the extractive summary (its label, text, action items and next topics), exports it as PDF, deletes
// another ended session from its page, and the page has no horizontal overflow at 375 px. Screenshots at 1280 and 375 px.
//
//   BASE_URL=http://127.0.0.1:7123 CLONEAI_DATA=/path/to/data node --test tests/browser/summary.test.mjs
// Without BASE_URL the test starts functions/CloneAI.Local (built in Release) on a free port with a fresh data folder.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { apiClient, fundWallet, noHorizontalOverflow, shoot, signedInPage, startEnvironment, uploadReady, verifiedAccount } from "./lib.mjs";

let baseUrl = "";
let dataDir = "";
/** @type {import("playwright-core").Browser} */
let browser;
let stop = async () => {};
let hostLog = () => "";

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const password = `Correct-horse-${run}`;
const READY_TIMEOUT_MS = 120_000;
const PLAN = `# Marathon plan

## Long runs

The long run is the heart of marathon training, because it teaches the body to burn fat over hours.
Make sure your long run grows by no more than ten percent a week.
You should rest a day after every long run, so the muscles repair.

## Tapering

Tapering means cutting your weekly mileage in the last three weeks before the race.

## Race day nutrition

Carbohydrate gels every forty minutes keep the glycogen stores from running empty during the race.
`;

/** { user, sessionId } once set up. */
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
  const creator = await verifiedAccount(baseUrl, dataDir, `summary-creator-${run}@example.com`, password, "Cora Coach");
  await call("POST", "/api/me/creator", undefined, creator.accessToken);
  const categories = await call("GET", "/api/categories");
  const clone = await call(
    "POST",
    "/api/clones",
    {
      name: `Marathon Coach ${run}`,
      category: categories[0]?.id,
      tagline: "Marathon training, from its sources",
      description: "A clone that answers questions about marathon training.",
      persona: { greeting: "Ask me about marathon training.", instructions: "Answer from the sources.", answerLength: "medium" },
      pricing: { perMinute: 10, perMessage: null, currency: "USD", freeMessages: 0 },
    },
    creator.accessToken,
  );
  await uploadReady(baseUrl, creator.accessToken, clone.id, { name: "plan.md", text: PLAN, type: "text/markdown" }, READY_TIMEOUT_MS, hostLog);
  await call("POST", `/api/clones/${encodeURIComponent(clone.id)}/publish`, undefined, creator.accessToken);

  const user = await verifiedAccount(baseUrl, dataDir, `summary-user-${run}@example.com`, password, "Rita Runner");
  await fundWallet({ baseUrl, accessToken: user.accessToken }, 2000);
  const session = await call("POST", `/api/clones/${encodeURIComponent(clone.id)}/sessions`, {}, user.accessToken);
  for (const content of ["How fast should my long run grow each week?", "Should I rest after a long run?"]) {
    const asked = await call("POST", `/api/sessions/${encodeURIComponent(session.id)}/messages`, { content, clientMessageId: randomUUID() }, user.accessToken);
    assert.ok(asked.content, "the question was answered");
  }
  return { user, sessionId: session.id };
}

for (const width of [1280, 375]) {
  test(`end a session and see its summary in the chat page (${width} px)`, async () => {
    // A fresh session for each width: the first ends in the page, the second is ended through the API and opened.
    const sessionId = width === 1280 ? world.sessionId : await endedSession();
    const { context, page, pageErrors } = await signedInPage(browser, world.user, { viewport: { width, height: 900 } });
    try {
      await page.goto(`${baseUrl}/sessions/${sessionId}`);
      const main = page.getByRole("main");
      if (width === 1280) {
        await main.getByRole("button", { name: "End session", exact: true }).click();
        const confirm = page.getByRole("dialog");
        await confirm.getByRole("button", { name: "End session", exact: true }).click();
        await confirm.waitFor({ state: "detached" });
      }
      await main.getByText("This session has ended", { exact: true }).waitFor();
      const recap = main.getByTestId("session-recap");
      await recap.waitFor({ timeout: 30_000 });
      assert.equal(await main.getByTestId("session-recap-label").textContent(), "Extractive summary");
      assert.match(await main.getByTestId("session-recap-text").textContent(), /long run/i);
      assert.match(await main.getByTestId("session-recap-actions").textContent(), /long run/i);
      assert.ok((await main.getByTestId("session-recap-topics").textContent()).length > 0, "next topics are listed");
      await noHorizontalOverflow(page);
      await shoot(page, `summary-${width}.png`);

      if (width === 1280) {
        await main.getByRole("button", { name: "Export", exact: true }).click();
        const downloading = page.waitForEvent("download");
        await page.getByRole("menuitem", { name: "PDF (.pdf)" }).click();
        const download = await downloading;
        assert.ok(download.suggestedFilename().endsWith(".pdf"), `the file is ${download.suggestedFilename()}`);
      } else {
        // Delete it: back to my sessions, where it is no longer listed, and its summary is gone.
        await main.getByRole("button", { name: "Delete", exact: true }).click();
        const confirm = page.getByRole("dialog");
        const deleted = page.waitForResponse((r) => r.request().method() === "DELETE" && new URL(r.url()).pathname === `/api/sessions/${sessionId}`);
        await confirm.getByRole("button", { name: "Delete session", exact: true }).click();
        assert.equal((await deleted).status(), 204);
        await page.waitForURL(/\/sessions$/);
        const mine = await call("GET", "/api/sessions", undefined, world.user.accessToken);
        assert.ok(!mine.items.some((s) => s.id === sessionId), "the deleted session is not listed");
        assert.equal(await page.locator(`a[href$="/sessions/${sessionId}"]`).count(), 0);
      }
      assert.deepEqual(pageErrors, []);
    } finally {
      await context.close();
    }
  });
}

async function endedSession() {
  const clones = await call("GET", `/api/sessions`, undefined, world.user.accessToken);
  const cloneId = clones.items[0].cloneId;
  const session = await call("POST", `/api/clones/${encodeURIComponent(cloneId)}/sessions`, {}, world.user.accessToken);
  await call("POST", `/api/sessions/${encodeURIComponent(session.id)}/messages`, { content: "Should I rest after a long run?", clientMessageId: randomUUID() }, world.user.accessToken);
  await call("POST", `/api/sessions/${encodeURIComponent(session.id)}/end`, undefined, world.user.accessToken);
  return session.id;
}
