// The continuity story across sessions in headless Chromium, every part of it together:
// (setup through the API) a creator publishes a marathon coach with one Ready document and a second clone in the same category;
// a user signs up, verifies and funds the wallet.
// (in the UI, as the user) start a session on the coach's page -> say "My goal is to run a marathon in April. I prefer short
// answers." and ask a question -> end the session -> the page shows its extractive summary (insights, action items, next
// topics) -> the coach's page suggests next questions and lists the goal in "Your progress" -> the Memory page lists the goal;
// delete it -> a new session's greeting welcomes the user back without the goal -> the marketplace shows "For you" with the
// other clone and a reason. Screenshots at 1280 and 375 px go to tests/browser/screenshots.
//
//   BASE_URL=http://127.0.0.1:7123 CLONEAI_DATA=/path/to/data node --test tests/browser/continuity.test.mjs
// Without BASE_URL the test starts functions/CloneAI.Local (built in Release) on a free port with a fresh data folder.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { apiClient, fundWallet, noHorizontalOverflow, shoot, signedInPage, startEnvironment, uploadReady, userApi, verifiedAccount } from "./lib.mjs";

let baseUrl = "";
let dataDir = "";
/** @type {import("playwright-core").Browser} */
let browser;
let stop = async () => {};
let hostLog = () => "";

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const password = `Correct-horse-${run}`;
const READY_TIMEOUT_MS = 120_000;
const SNAPSHOT_WAIT_MS = 75_000;
const coachName = `Marathon Mentor ${run}`;
const otherName = `Sprint Sage ${run}`;
const GOAL = "My goal is to run a marathon in April. I prefer short answers.";
const PLAN = `# Marathon plan

## Long runs

The long run is the heart of marathon training, because it teaches the body to burn fat over hours.
Make sure your long run grows by no more than ten percent a week.
You should rest a day after every long run, so the muscles repair.
The long run builds endurance for the last ten kilometres of the marathon.

## Tapering

Tapering means cutting your weekly mileage in the last three weeks before the race.
A good taper leaves the legs fresh on race day.

## Race day nutrition

Carbohydrate gels every forty minutes keep the glycogen stores from running empty during the race.
`;

before(async () => {
  ({ baseUrl, dataDir, browser, stop, hostLog } = await startEnvironment());
});

after(async () => {
  await stop();
});

const call = (...args) => apiClient(baseUrl)(...args);

async function publish(token, name, tagline, description, pricing) {
  const clone = await call(
    "POST",
    "/api/clones",
    {
      name,
      category: "health",
      tagline,
      description,
      tags: ["running"],
      persona: { greeting: "Ask me about running.", instructions: "Answer from the sources.", answerLength: "medium" },
      pricing,
    },
    token,
  );
  return clone;
}

async function until(what, check, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    assert.ok(Date.now() < deadline, `${what} within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test("a session's summary, the goal it left in memory and progress, deleting it, and For you", async () => {
  const creator = await verifiedAccount(baseUrl, dataDir, `continuity-creator-${run}@example.com`, password, "Cora Coach");
  await call("POST", "/api/me/creator", undefined, creator.accessToken);
  const coach = await publish(creator.accessToken, coachName, "Marathon training, from its sources", "Long runs, tapering and race day for a first marathon.",
    { perMinute: 10, currency: "USD", freeMessages: 0 });
  await uploadReady(baseUrl, creator.accessToken, coach.id, { name: "plan.md", text: PLAN, type: "text/markdown" }, READY_TIMEOUT_MS, hostLog);
  await call("POST", `/api/clones/${encodeURIComponent(coach.id)}/publish`, undefined, creator.accessToken);
  const other = await publish(creator.accessToken, otherName, "Sprinting and running speed", "Running faster: intervals, strides and sprint form for runners.",
    { perMinute: 0, currency: "USD", freeMessages: 0 });
  await call("POST", `/api/clones/${encodeURIComponent(other.id)}/publish`, undefined, creator.accessToken);

  const user = await verifiedAccount(baseUrl, dataDir, `continuity-user-${run}@example.com`, password, "Rita Runner");
  const api = userApi(baseUrl, user.accessToken);
  await fundWallet(api, 2000);

  const { context, page, pageErrors } = await signedInPage(browser, user, { viewport: { width: 1280, height: 900 } });
  try {
    // Session 1, in the chat page: the goal and a question, then the end.
    await page.goto(`${baseUrl}/clones/${encodeURIComponent(coach.slug)}`);
    const main = page.getByRole("main");
    await main.getByRole("button", { name: "Start session" }).click();
    await page.waitForURL(/\/sessions\/[^/]+$/);
    const sessionId = page.url().split("/").pop();
    const answers = page.locator('[data-testid="assistant-message"][data-state="done"]:not([data-answer-kind="greeting"])');
    for (const [i, text] of [GOAL, "How should I do my long runs for the marathon?"].entries()) {
      await page.getByLabel("Message", { exact: true }).fill(text);
      await page.getByRole("button", { name: "Send", exact: true }).click();
      await answers.nth(i).waitFor();
    }
    await main.getByRole("button", { name: "End session", exact: true }).click();
    const confirm = page.getByRole("dialog");
    await confirm.getByRole("button", { name: "End session", exact: true }).click();
    await confirm.waitFor({ state: "detached" });

    // Its summary, once written.
    const recap = main.getByTestId("session-recap");
    await recap.waitFor({ timeout: 30_000 });
    assert.equal(await main.getByTestId("session-recap-label").textContent(), "Extractive summary");
    assert.ok((await main.getByTestId("session-recap-insights").innerText()).trim().length > 0, "key insights are listed");
    assert.match(await main.getByTestId("session-recap-actions").innerText(), /long run/i);
    assert.ok((await main.getByTestId("session-recap-topics").innerText()).trim().length > 0, "next topics are listed");
    await shoot(page, "continuity-summary.png");

    // The coach's page: next questions from the summary, and the goal on the checklist.
    const summary = await api("GET", `/api/sessions/${sessionId}/summary`);
    assert.ok(summary.nextTopics.length > 0);
    await page.goto(`${baseUrl}/clones/${encodeURIComponent(coach.slug)}`);
    await main.getByTestId("next-questions").waitFor();
    const suggested = await main.getByTestId("next-questions").innerText();
    assert.ok(summary.nextTopics.some((t) => suggested.toLowerCase().includes(t.toLowerCase())), `next questions from ${JSON.stringify(summary.nextTopics)}: ${suggested}`);
    await main.getByTestId("progress-item").filter({ hasText: /marathon in April/i }).first().waitFor();

    // The Memory page: the goal is there; delete it.
    await until("the goal is remembered", async () => (await api("GET", "/api/me/memories")).items.some((i) => i.kind === "goal"));
    await page.getByRole("button", { name: "Account menu" }).click();
    await page.getByRole("menuitem", { name: "Memory" }).click();
    await page.waitForURL(`${baseUrl}/memory`);
    const group = page.locator(`[data-testid="memory-group"][data-clone-id="${coach.id}"]`);
    const goal = group.getByTestId("memory-item").filter({ hasText: "Run a marathon in April" });
    await goal.waitFor();
    await shoot(page, "continuity-memory.png");
    await goal.getByRole("button", { name: "Delete: Run a marathon in April" }).click();
    await goal.waitFor({ state: "detached" });
    assert.ok(!(await api("GET", "/api/me/memories")).items.some((i) => i.kind === "goal"), "the goal is deleted");

    // Session 2 welcomes the user back, without the deleted goal.
    const second = await api("POST", `/api/clones/${encodeURIComponent(coach.id)}/sessions`, {});
    await page.goto(`${baseUrl}/sessions/${second.id}`);
    const greeting = page.locator('[data-testid="assistant-message"][data-answer-kind="greeting"]').first();
    await greeting.waitFor();
    const welcome = await greeting.innerText();
    assert.match(welcome, /Welcome back/);
    assert.doesNotMatch(welcome, /your goal/);
    await api("POST", `/api/sessions/${second.id}/end`);

    // For you, in the marketplace (its snapshot may be up to a minute old).
    const deadline = Date.now() + SNAPSHOT_WAIT_MS;
    let row;
    for (;;) {
      await page.goto(`${baseUrl}/`);
      row = page.getByRole("region", { name: "For you" });
      try {
        await row.getByText(otherName).first().waitFor({ timeout: 5_000 });
        break;
      } catch {
        assert.ok(Date.now() < deadline, `"For you" with ${otherName} did not appear within ${SNAPSHOT_WAIT_MS / 1000} s`);
        await page.waitForTimeout(5_000);
      }
    }
    const card = row.getByRole("listitem").filter({ hasText: otherName });
    assert.ok((await card.getByTestId("for-you-reason").innerText()).trim().length > 0, "the card says why");
    await shoot(page, "continuity-for-you.png");

    await page.setViewportSize({ width: 375, height: 812 });
    await row.waitFor();
    await shoot(page, "continuity-for-you-375.png");
    const overflow = await noHorizontalOverflow(page);
    assert.ok(overflow.scrollWidth <= overflow.width + 1, `horizontal overflow at 375 px: ${JSON.stringify(overflow)}`);
    await page.goto(`${baseUrl}/sessions/${sessionId}`);
    await main.getByTestId("session-recap").waitFor({ timeout: 30_000 });
    const recapOverflow = await noHorizontalOverflow(page);
    assert.ok(recapOverflow.scrollWidth <= recapOverflow.width + 1, `horizontal overflow at 375 px: ${JSON.stringify(recapOverflow)}`);
    await shoot(page, "continuity-summary-375.png");
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});
