// Browser test of a chat session in headless Chromium:
// (setup through the API) a creator signs up, verifies the email from the outbox, becomes a creator, creates a priced clone,
// uploads a small text about tides, waits for it to be Ready and publishes the clone; a second user signs up the same way.
// (in the UI, as the user) open the clone's page -> Start session -> the chat page shows the clone, a ticking timer, the
// cost and the pricing snapshot -> ask "What causes the tides?" -> typing dots, then the answer streams in with "Moon"
// and a citation chip -> open the citation: the cited passage is highlighted in the document viewer -> export Markdown
// and JSON -> end the session -> rate it 5 stars -> find it under My sessions; the chat page fits 375 px with the message
// box at the bottom. A signed-out visitor who presses Start session is sent to log in.
//
//   BASE_URL=http://127.0.0.1:7123 CLONEAI_DATA=/path/to/data node --test tests/browser/chat.test.mjs
// Without BASE_URL the test starts functions/CloneAI.Local (built in Release) on a free port with a fresh data
// folder (see lib.mjs). Ingestion embeds with the local ONNX model, so Ready can take a while (up to 120 s here).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { apiClient, fundWallet, noHorizontalOverflow, outboxEmail, screenshots, shoot, signedInPage, startEnvironment, uploadReady, verifiedAccount } from "./lib.mjs";

let baseUrl = "";
let dataDir = "";
/** @type {import("playwright-core").Browser} */
let browser;
/** @type {() => Promise<void>} */
let stop = async () => {};
/** @type {() => string} */
let hostLog = () => "";
/** The clone the first test publishes (the second test opens it signed out). */
let published = null;

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const creatorEmail = `chat-creator-${run}@example.com`;
const userEmail = `chat-user-${run}@example.com`;
const password = `Correct-horse-${run}`;
const cloneName = `Tide Expert ${run}`;
const READY_TIMEOUT_MS = 120_000;
const QUESTION = "What causes the tides?";
const PRICING_TEXT = "$0.50 / min · $0.10 / message · 1 free message";

const DOC_NAME = "tides.txt";
const DOC = [
  "Tides are the regular rise and fall of the sea surface along the coasts.",
  "",
  "Tides are caused mainly by the gravitational pull of the Moon on the oceans. The main cause of the tides is that pull of the Moon, " +
    "with the Sun adding a smaller pull of its own.",
  "",
  "When the Sun and the Moon line up, at new and full moon, their pulls add up and make spring tides with the largest range. " +
    "When they pull at right angles, the range is smaller: these are neap tides.",
  "",
  "Most coasts see two high tides and two low tides about every 24 hours and 50 minutes, because the Earth turns under the two bulges of water.",
].join("\n");

before(async () => {
  ({ baseUrl, dataDir, browser, stop, hostLog } = await startEnvironment());
});

after(async () => {
  await stop();
});

/** JSON request to the API; throws with the problem text on failure. */
const call = (...args) => apiClient(baseUrl)(...args);

const account = (email, displayName) => verifiedAccount(baseUrl, dataDir, email, password, displayName);

/** A published clone with one Ready document about tides, made through the API (other tests cover those pages). */
async function setUpClone() {
  const tokens = await account(creatorEmail, "Tess Tide");
  const token = tokens.accessToken;
  await call("POST", "/api/me/creator", undefined, token);
  const categories = await call("GET", "/api/categories");
  const clone = await call(
    "POST",
    "/api/clones",
    {
      name: cloneName,
      category: categories[0]?.id,
      tagline: "Everything about the sea's rise and fall",
      description: "A clone that answers questions about tides from its sources.",
      persona: {
        greeting: "Hi! Ask me about tides.",
        instructions: "Answer from the sources and cite them.",
        answerLength: "medium",
      },
      pricing: { perMinute: 50, perMessage: 10, currency: "USD", freeMessages: 1 },
    },
    token,
  );

  const doc = await uploadReady(baseUrl, token, clone.id, { name: DOC_NAME, text: DOC, type: "text/plain" }, READY_TIMEOUT_MS, hostLog);
  const published = await call("POST", `/api/clones/${encodeURIComponent(clone.id)}/publish`, undefined, token);
  return { clone: published, doc };
}

/** The text of an element with runs of white space as one space. */
async function textOf(locator) {
  return (await locator.innerText()).replace(/\s+/g, " ").trim();
}

test("a user chats with a clone: streamed, cited answer, source viewer, end, rating, history", async (t) => {
  const { clone } = await setUpClone();
  published = clone;
  const tokens = await account(userEmail, "Una User");
  await fundWallet({ baseUrl, accessToken: tokens.accessToken }, 5000); // the clone is paid: sessions draw from the wallet
  const { context, page, pageErrors, dialogs } = await signedInPage(browser, tokens, { acceptDownloads: true });
  const main = page.getByRole("main");
  let sessionId = "";

  try {
    await t.test("start a session from the clone's page", async () => {
      await page.goto(`${baseUrl}/clones/${encodeURIComponent(clone.slug)}`);
      await page.getByRole("heading", { level: 1, name: cloneName }).waitFor();
      await main.getByText(PRICING_TEXT).waitFor();
      const start = main.getByRole("button", { name: "Start session" });
      assert.equal(await start.isEnabled(), true);
      const started = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === `/api/clones/${clone.id}/sessions`);
      await start.click();
      assert.equal((await started).status(), 201);
      await page.waitForURL(/\/sessions\/[^/]+$/);
      sessionId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop() ?? "");
      assert.ok(sessionId, "the chat page has the session's id in its address");
    });

    await t.test("the chat page shows the clone, the timer (still until the first question), the cost and the pricing snapshot", async () => {
      await page.getByRole("heading", { level: 1, name: cloneName }).waitFor();
      await main.getByText("Active", { exact: true }).waitFor();
      await main.getByTestId("session-pricing").filter({ hasText: PRICING_TEXT }).waitFor();
      assert.match(await textOf(main.getByTestId("session-cost")), /^\$\d+\.\d{2}$/);
      const timer = main.getByTestId("session-timer");
      const first = await textOf(timer);
      assert.match(first, /^\d+:\d{2}$/);
      // Since sessions draw from the wallet the clock starts at the first question: it ticks after the ask below.
      await page.waitForTimeout(2_200);
      assert.equal(await textOf(timer), first, "the timer stands still before the first question");
    });

    await t.test("the conversation opens with the clone's greeting, and the session is no preview", async () => {
      const greeting = main.getByTestId("assistant-message").first();
      await greeting.waitFor();
      assert.equal(await greeting.getAttribute("data-answer-kind"), "greeting");
      await greeting.getByText("Hi! Ask me about tides.").waitFor();
      assert.equal(await greeting.getByTestId("citation-chip").count(), 0, "the greeting cites nothing");
      assert.equal(await main.getByTestId("preview-badge").count(), 0);
    });

    await t.test("ask: typing dots, then the answer streams in with a citation", async () => {
      // Hold the request back a moment so the typing indicator is surely on screen before the first word.
      await page.route(
        `**/api/sessions/${sessionId}/messages`,
        async (route) => {
          await new Promise((r) => setTimeout(r, 800));
          await route.continue();
        },
        { times: 1 },
      );
      // Record every length the answer's text goes through, to see it arrive in pieces.
      await page.evaluate(() => {
        const w = /** @type {any} */ (window);
        w.__answerLengths = [];
        new MutationObserver(() => {
          const el = document.querySelector('[data-testid="assistant-message"]:not([data-answer-kind="greeting"]) [data-testid="assistant-text"]');
          if (el) w.__answerLengths.push(el.textContent.length);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      const sent = page.waitForRequest((r) => r.method() === "POST" && new URL(r.url()).pathname === `/api/sessions/${sessionId}/messages`);
      await page.getByLabel("Message", { exact: true }).fill(QUESTION);
      await page.getByRole("button", { name: "Send", exact: true }).click();
      const request = await sent;
      assert.match(request.headers()["accept"] ?? "", /text\/event-stream/);
      const body = request.postDataJSON();
      assert.equal(body.content, QUESTION);
      assert.match(body.clientMessageId, /^[0-9a-f-]{36}$/i, "a UUID keys the message");

      await main.getByTestId("user-message").filter({ hasText: QUESTION }).waitFor();
      await main.getByTestId("typing-indicator").waitFor();
      const answer = main.locator('[data-testid="assistant-message"][data-state="done"]:not([data-answer-kind="greeting"])').last();
      await answer.waitFor({ timeout: 60_000 });
      await main.getByTestId("typing-indicator").waitFor({ state: "detached" });
      const text = await textOf(answer.getByTestId("assistant-text"));
      assert.match(text, /Moon/, `the answer mentions the Moon: ${text}`);
      const lengths = await page.evaluate(() => /** @type {any} */ (window).__answerLengths.filter((n) => n > 0));
      assert.ok(new Set(lengths).size >= 2, `the answer arrived in pieces (lengths seen: ${lengths.join(", ")})`);

      const chip = answer.getByTestId("citation-chip").first();
      await chip.waitFor();
      assert.match((await chip.getAttribute("aria-label")) ?? "", /^Source \d+: /);
      await answer.getByRole("list", { name: "Sources" }).getByText(/tides/i).first().waitFor();
      if ((await answer.getAttribute("data-answer-kind")) === "extractive") {
        await answer.getByText("Quoted from sources", { exact: true }).waitFor();
      }
      assert.equal(await page.getByLabel("Message", { exact: true }).inputValue(), "", "the box is empty again");
      // The first message is free; the per-minute clock keeps running.
      assert.match(await textOf(main.getByTestId("session-cost")), /^\$0\.50$|^\$1\.00$/);
      const timer = main.getByTestId("session-timer");
      const first = await textOf(timer);
      await page.waitForTimeout(2_200);
      assert.notEqual(await textOf(timer), first, "the timer ticks once the first question was asked");
    });

    await t.test("open the citation: the cited passage is highlighted in the source", async () => {
      const answer = main.getByTestId("assistant-message").last();
      await answer.getByTestId("citation-chip").first().click();
      const viewer = page.getByRole("dialog");
      await viewer.waitFor();
      const passage = viewer.getByTestId("viewer-passage");
      await passage.waitFor();
      const shown = await textOf(passage);
      assert.match(shown, /Moon/, `the highlighted passage is the cited one: ${shown.slice(0, 200)}`);
      assert.ok(await passage.isVisible(), "the passage is scrolled into view");
      assert.equal(await viewer.getByTestId("citation-snippet").count(), 0, "the text loaded (no fallback to the snippet)");
      await page.screenshot({ path: join(screenshots, "chat-source.png"), animations: "disabled" });
      await page.keyboard.press("Escape");
      await viewer.waitFor({ state: "detached" });
    });

    await t.test("export the conversation as Markdown and JSON", async () => {
      for (const [item, extension] of [
        ["Markdown (.md)", ".md"],
        ["JSON (.json)", ".json"],
      ]) {
        await main.getByRole("button", { name: "Export", exact: true }).click();
        const downloading = page.waitForEvent("download");
        await page.getByRole("menuitem", { name: item }).click();
        const download = await downloading;
        assert.ok(download.suggestedFilename().endsWith(extension), `the file is ${download.suggestedFilename()}`);
        const content = await readFile(await download.path(), "utf8");
        assert.ok(content.includes(QUESTION), `the ${extension} export has the question`);
        if (extension === ".json") JSON.parse(content);
      }
    });

    await t.test("end the session", async () => {
      await main.getByRole("button", { name: "End session", exact: true }).click();
      const confirm = page.getByRole("dialog");
      await confirm.getByText("End this session?").waitFor();
      const ended = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/sessions/${sessionId}/end`);
      await confirm.getByRole("button", { name: "End session", exact: true }).click();
      assert.equal((await ended).status(), 200);
      await confirm.waitFor({ state: "detached" });
      await main.getByText("This session has ended", { exact: true }).waitFor();
      const summary = await textOf(main.getByTestId("session-summary"));
      assert.match(summary, /You ended this session\. Length \d+:\d{2} .*cost \$\d+\.\d{2}/);
      assert.match(summary, /A receipt is on its way to your email\./, "the local host emails receipts (to its outbox)");
      // The subject quotes the clone's name in “…”, so it is header-encoded: the receipt is found by its body.
      const receipt = await outboxEmail(dataDir, userEmail, (text) => /Here is the receipt for your CloneAI session\./.test(text));
      assert.match(receipt, /Messages: 1/);
      assert.equal(await page.getByLabel("Message", { exact: true }).isDisabled(), true, "the message box is off");
      assert.equal(await main.getByRole("button", { name: "End session", exact: true }).count(), 0);
      const timer = main.getByTestId("session-timer");
      const first = await textOf(timer);
      await page.waitForTimeout(1_500);
      assert.equal(await textOf(timer), first, "the timer has stopped");
    });

    await t.test("rate the session 5 stars", async () => {
      await main.getByRole("button", { name: "Rate", exact: true }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("radio", { name: "5 stars" }).click();
      await dialog.getByLabel("Comment", { exact: true }).fill("Clear answer, with <b>sources</b>.");
      const rated = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/sessions/${sessionId}/rating`);
      await dialog.getByRole("button", { name: "Save rating" }).click();
      assert.equal((await rated).status(), 200);
      await dialog.waitFor({ state: "detached" });
      const saved = main.getByTestId("session-rating");
      await saved.getByRole("img", { name: "5 out of 5 stars" }).waitFor();
      await saved.getByText("Clear answer, with <b>sources</b>.", { exact: false }).waitFor();
      await main.getByRole("button", { name: "Edit rating" }).waitFor();
      await shoot(page, "chat.png");
    });

    await t.test("the session is listed under My sessions", async () => {
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My sessions" }).click();
      await page.waitForURL(/\/sessions$/);
      const row = page.getByRole("list", { name: "Sessions" }).getByRole("listitem").filter({ hasText: cloneName });
      await row.waitFor();
      await row.getByText("Ended", { exact: true }).waitFor();
      await row.getByRole("img", { name: "5 out of 5 stars" }).waitFor();
      await row.getByText(/\$\d+\.\d{2}/).waitFor();
      await row.getByRole("link").click();
      await page.waitForURL(new RegExp(`/sessions/${sessionId}$`));
      await main.getByTestId("assistant-message").first().waitFor();
      // Stored answers render as the streamed one did: chips and sources (the greeting before them has none).
      await main.locator('[data-testid="assistant-message"]:not([data-answer-kind="greeting"])').first().getByTestId("citation-chip").first().waitFor();
    });

    await t.test("the chat page fits a 375 px screen with the message box at the bottom", async () => {
      await page.setViewportSize({ width: 375, height: 812 });
      await page.reload();
      await main.getByTestId("assistant-message").first().waitFor();
      await page.waitForLoadState("networkidle");
      const { scrollWidth, width, offenders } = await noHorizontalOverflow(page);
      assert.ok(scrollWidth <= width, `the chat page is ${scrollWidth}px wide on a ${width}px screen: ${offenders.join(", ")}`);
      await page.evaluate(() => window.scrollTo(0, 0));
      const box = await page.getByLabel("Message", { exact: true }).boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= 812 + 1, `the message box is on screen at the top of the page: ${JSON.stringify(box)}`);
      // What a phone shows at the end of the conversation: the answer, and the message box pinned under it.
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await page.screenshot({ path: join(screenshots, "chat-mobile.png"), animations: "disabled" });
      await page.getByRole("button", { name: "Open menu" }).click();
      await page.getByRole("menuitem", { name: "My sessions" }).waitFor();
      await page.keyboard.press("Escape");
    });

    assert.equal(await page.locator("main b, main script").count(), 0, "user content is never markup");
    assert.deepEqual(pageErrors, [], "no script errors on any page");
    assert.deepEqual(dialogs, [], "no alert() ran");
  } finally {
    await context.close();
  }
});

test("a signed-out visitor who starts a session is sent to log in", async () => {
  assert.ok(published, "the test above published a clone");
  const clone = published;
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  try {
    await page.goto(`${baseUrl}/clones/${encodeURIComponent(clone.slug)}`);
    await page.getByRole("heading", { level: 1, name: cloneName }).waitFor();
    await page.getByRole("main").getByRole("button", { name: "Start session" }).click();
    await page.waitForURL(/\/login\?next=/);
    assert.equal(new URL(page.url()).searchParams.get("next"), `/clones/${clone.slug}`);
  } finally {
    await context.close();
  }
});
