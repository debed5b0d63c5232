// Browser test of goals, progress and communication style (issue 14, parts 3 and 4) in headless Chromium:
// (setup through the API) a creator publishes a tide clone; a user signs up, funds the wallet, has a session with the clone
// ("My goal is to run a marathon in April. I prefer short answers.") and ends it.
// (in the UI) the profile page: choose Concise and Formal, save; GET /api/me carries the style. The Progress page
// (/progress?clone=…) lists the clone in its picker. Then the checklist gets an item from what this host has: a goal saved
// through POST /api/me/memories when the memory routes exist, else the action items of the session's summary when
// GET /api/sessions/{id}/summary exists; the item is ticked in the UI, the counts change, and the tick is kept after a
// reload and in GET /api/me/progress. (A host with neither source has nothing to tick: that step is skipped and says so.)
// The pages fit 375 px. Screenshots: progress.png, progress-mobile.png, profile-style.png.
//
//   BASE_URL=http://127.0.0.1:7123 CLONEAI_DATA=/path/to/data node --test tests/browser/progress.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  fundWallet, noHorizontalOverflow, publishedTideClone, shoot, signedInPage, startEnvironment, userApi, verifiedAccount,
} from "./lib.mjs";

let baseUrl = "";
let dataDir = "";
/** @type {import("playwright-core").Browser} */
let browser;
/** @type {() => string} */
let hostLog = () => "";
/** @type {() => Promise<void>} */
let stop = async () => {};

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const password = `Correct-horse-${run}`;

before(async () => {
  ({ baseUrl, dataDir, browser, hostLog, stop } = await startEnvironment());
});

after(async () => {
  await stop();
});

async function fits(page, what) {
  const { scrollWidth, width, offenders } = await noHorizontalOverflow(page);
  assert.ok(scrollWidth <= width, `${what} overflows 375 px (${scrollWidth} > ${width}): ${offenders.join(", ")}`);
}

/** The status of a call, without throwing (to find out which routes this host has). */
async function status(method, path, token, body) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { Accept: "application/json", Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, json: response.ok ? await response.json().catch(() => null) : null };
}

/**
 * Puts something on the user's checklist with the clone: a goal through the memory routes, else the summary's action items
 * (waited for). Returns the item's text, or null when this host has neither source (by its OpenAPI document).
 */
async function seedItem(token, cloneId, sessionId) {
  const { paths } = await fetch(`${baseUrl}/api/openapi.json`).then((r) => r.json());
  if (paths["/api/me/memories"]?.post) {
    const goal = "Run a marathon in April";
    const saved = await status("POST", "/api/me/memories", token, { cloneId, kind: "goal", text: goal });
    assert.ok(saved.status === 200 || saved.status === 201, `saving a goal answered ${saved.status}`);
    return goal;
  }
  if (!paths["/api/sessions/{sessionId}/summary"]?.get) return null;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const summary = await status("GET", `/api/sessions/${encodeURIComponent(sessionId)}/summary`, token);
    if (summary.status === 200) {
      assert.ok(summary.json?.actionItems?.length, `the summary has no action items: ${JSON.stringify(summary.json)}`);
      return summary.json.actionItems[0];
    }
    if (Date.now() > deadline) throw new Error(`No summary after 60 s (last ${summary.status}).\n${hostLog().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

test("a user sets a concise, formal style and ticks an item of their checklist with a clone", async (t) => {
  const creator = await verifiedAccount(baseUrl, dataDir, `progress-maker-${run}@example.com`, password, "Tess Tide");
  await userApi(baseUrl, creator.accessToken)("POST", "/api/me/creator");
  const clone = await publishedTideClone(baseUrl, creator.accessToken, { name: `Coach ${run}`, pricing: { perMessage: 100, currency: "USD", freeMessages: 3 } }, 120_000, hostLog);

  const tokens = await verifiedAccount(baseUrl, dataDir, `progress-${run}@example.com`, password, "Paula Progress");
  const api = userApi(baseUrl, tokens.accessToken);
  await fundWallet(api, 2000);
  const session = await api("POST", `/api/clones/${encodeURIComponent(clone.id)}/sessions`, {});
  await api("POST", `/api/sessions/${encodeURIComponent(session.id)}/messages`, {
    content: "My goal is to run a marathon in April. I prefer short answers. What causes the tides?",
    clientMessageId: `q-${run}`,
  });
  await api("POST", `/api/sessions/${encodeURIComponent(session.id)}/end`);

  const { context, page, pageErrors } = await signedInPage(browser, tokens);
  try {
    // The profile's communication style.
    await page.goto(`${baseUrl}/profile`);
    await page.getByRole("heading", { level: 1, name: "Your profile" }).waitFor();
    await page.getByRole("radio", { name: "Concise" }).check();
    await page.getByRole("radio", { name: "Formal" }).check();
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByText("Profile saved").first().waitFor();
    assert.deepEqual((await api("GET", "/api/me")).style, { length: "concise", tone: "formal" });
    await page.reload();
    await page.getByRole("radio", { name: "Concise" }).waitFor();
    assert.equal(await page.getByRole("radio", { name: "Concise" }).isChecked(), true);
    await shoot(page, "profile-style.png");

    // The Progress page lists the clone of the session.
    await page.goto(`${baseUrl}/progress`);
    await page.getByRole("heading", { level: 1, name: "Your progress" }).waitFor();
    const picker = page.getByLabel("Clone");
    await picker.waitFor();
    assert.equal(await picker.inputValue(), clone.id);

    const text = await seedItem(tokens.accessToken, clone.id, session.id);
    if (text === null) {
      await page.getByTestId("progress-empty").waitFor();
      t.diagnostic("This host has neither the memory routes nor session summaries: nothing to tick, the empty checklist was checked.");
    } else {
      await page.goto(`${baseUrl}/progress?clone=${encodeURIComponent(clone.id)}`);
      const box = page.getByRole("checkbox", { name: text });
      await box.waitFor();
      const before = await api("GET", `/api/me/progress?cloneId=${encodeURIComponent(clone.id)}`);
      const counts = page.getByTestId("progress-counts");
      assert.equal(await counts.textContent(), `0 done · ${before.open} open`);
      await box.check();
      await counts.filter({ hasText: `1 done · ${before.open - 1} open` }).waitFor();
      await page.reload();
      await page.getByRole("checkbox", { name: text }).waitFor();
      assert.equal(await page.getByRole("checkbox", { name: text }).isChecked(), true);
      const after = await api("GET", `/api/me/progress?cloneId=${encodeURIComponent(clone.id)}`);
      assert.equal(after.done, 1);
      assert.equal(after.items.find((i) => i.text === text)?.done, true);
      // The clone's page shows the same checklist to its user.
      await page.goto(`${baseUrl}/clones/${encodeURIComponent(clone.slug)}`);
      await page.getByRole("heading", { name: "Your progress" }).waitFor();
      assert.equal(await page.getByRole("checkbox", { name: text }).isChecked(), true);
      await page.goto(`${baseUrl}/progress?clone=${encodeURIComponent(clone.id)}`);
      await page.getByTestId("progress-counts").waitFor();
    }
    await shoot(page, "progress.png");

    await page.setViewportSize({ width: 375, height: 800 });
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Your progress" }).waitFor();
    await page.getByLabel("Clone").waitFor();
    await fits(page, "the progress page");
    await shoot(page, "progress-mobile.png");
    await page.goto(`${baseUrl}/profile`);
    await page.getByRole("radio", { name: "Concise" }).waitFor();
    await fits(page, "the profile page");
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});
