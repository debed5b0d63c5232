// Browser test of the demo clone's answers, as a new user meets them after `./run`:
// (through the API) a user signs up and verifies; the host seeds the demo clone Ada Lumen (`--Local:Demo=true`) and the test
// waits until its documents answer. (in the UI) open Ada's page -> Start session -> the greeting is the first message ->
// ask how the Moon causes the tides: only sentences about tides, citation chips numbered 1..k in order of first use, one
// per document -> open [1]: the viewer renders the Markdown (no raw `#` or `**`), in the sans font, and highlights exactly
// the quoted sentences -> ask which planets binoculars show (names Jupiter) and how stars are born (a sentence about star
// formation first) -> ask an off-topic question after those three: "I don't know". The same at 375 px.
//
//   BASE_URL=http://127.0.0.1:7071 CLONEAI_DATA=/path/to/data node --test tests/browser/answers.test.mjs
// (with BASE_URL the host must have been started with the demo, as ./run does).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { apiClient, fundWallet, noHorizontalOverflow, screenshots, signedInPage, startEnvironment, verifiedAccount } from "./lib.mjs";

const DEMO_SLUG = "ada-lumen-astronomy";
const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);

let baseUrl = "";
let dataDir = "";
/** @type {import("playwright-core").Browser} */
let browser;
let stop = async () => {};
let hostLog = () => "";

before(async () => {
  ({ baseUrl, dataDir, browser, stop, hostLog } = await startEnvironment({ hostArgs: ["--Local:Demo=true"] }));
});

after(async () => {
  await stop();
});

/** Whitespace collapsed, so that text joined from wrapped lines compares with the quoted sentence. */
const flat = (text) => text.replace(/\s+/g, " ").trim();

/** The answer's text cut at its markers: each piece with the numbers of the markers that close it (a framing line such as
 * "Good question! Here's what my notes say:" is left out). */
function citedPieces(answer) {
  const text = answer.replace(/^[^[:]{1,60}:\s+/, "");
  const pieces = [];
  const marker = /\s*((?:\[\d{1,2}\])+)/g;
  let from = 0;
  for (const found of text.matchAll(marker)) {
    const numbers = [...found[1].matchAll(/\d{1,2}/g)].map((m) => Number(m[0]));
    pieces.push({ text: flat(text.slice(from, found.index)), numbers });
    from = found.index + found[0].length;
  }
  return pieces;
}

/** Waits until the demo clone's documents are indexed: a throwaway session's answer quotes them. */
async function waitForDemo(call, token) {
  const clone = await call("GET", `/api/clones/${DEMO_SLUG}`, undefined, token);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const session = await call("POST", `/api/clones/${clone.id}/sessions`, {}, token);
    const answer = await call("POST", `/api/sessions/${session.id}/messages`, { content: "What is a protostar?", clientMessageId: `warm-${Date.now()}` }, token);
    await call("POST", `/api/sessions/${session.id}/end`, {}, token);
    if (answer.answerKind !== "dont-know") return clone;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(`The demo clone's documents were not ready within 120 s.\n${hostLog()}`);
}

test("the demo clone answers with relevant sentences, exact highlights, and no topic bleed", async (t) => {
  const call = apiClient(baseUrl);
  const tokens = await verifiedAccount(baseUrl, dataDir, `answers-${run}@example.com`, "Str0ng-password!", "Nova Reader");
  // The demo clone is paid per minute: each warm-up session and the one in the UI draw from the wallet.
  await fundWallet({ baseUrl, accessToken: tokens.accessToken }, 100000);
  const clone = await waitForDemo(call, tokens.accessToken);
  const { context, page, pageErrors } = await signedInPage(browser, tokens);
  const main = page.getByRole("main");

  let sessionId = "";
  /** The stored text of the session's last answer (the page shows its markers as chips). */
  async function lastAnswer() {
    const { messages } = await call("GET", `/api/sessions/${sessionId}`, undefined, tokens.accessToken);
    return messages.filter((m) => m.role === "assistant").at(-1);
  }

  /** Asks in the UI and returns the finished answer's element and its stored text (with its [n] markers). */
  async function ask(question) {
    const answers = main.locator('[data-testid="assistant-message"][data-state="done"]');
    const before = await answers.count();
    await page.getByLabel("Message", { exact: true }).fill(question);
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await main.getByTestId("user-message").filter({ hasText: question }).waitFor();
    const answer = answers.nth(before);
    await answer.waitFor({ timeout: 60_000 });
    const stored = await lastAnswer();
    assert.ok(flat((await answer.getByTestId("assistant-text").textContent()) ?? "").length > 0, "the page shows the answer");
    return { answer, text: stored.content, citations: stored.citations };
  }

  try {
    await t.test("start a session: the greeting is the first message", async () => {
      await page.goto(`${baseUrl}/clones/${DEMO_SLUG}`);
      await main.getByRole("button", { name: "Start session" }).click();
      await page.waitForURL(/\/sessions\/[^/]+$/);
      sessionId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop() ?? "");
      const first = main.locator('[data-testid="assistant-message"], [data-testid="user-message"]').first();
      await first.waitFor();
      assert.equal(await first.getAttribute("data-testid"), "assistant-message", "the clone speaks first");
      assert.equal(flat((await first.textContent()) ?? "").includes(flat(clone.persona.greeting)), true, "it says the clone's greeting");
    });

    /** @type {import("playwright-core").Locator} */
    let tides;
    let tidesText = "";
    await t.test("the tides: only sentences about tides, chips 1..k in order of first use, one per document", async () => {
      const { answer, text, citations } = await ask("How does the Moon cause the tides?");
      tides = answer;
      tidesText = text;
      assert.match(text, /tide/i);
      assert.match(text, /Moon/);
      assert.doesNotMatch(text, /eye damage|Venus|binocular|protostar/i, `nothing off the question: ${text}`);
      const numbers = citedPieces(text).flatMap((p) => p.numbers);
      const firstUse = [...new Set(numbers)];
      assert.deepEqual(firstUse, firstUse.map((_, i) => i + 1), `markers number 1..k by first use: ${text}`);
      const chips = answer.getByTestId("citation-chip");
      assert.equal(await chips.count(), numbers.length, "a chip for each marker");
      assert.deepEqual(citations.map((c) => c.n), firstUse, "one citation per number");
      assert.equal(new Set(citations.map((c) => c.documentId)).size, citations.length, "one citation per document");
      assert.ok(citations.every((c) => c.quotes.length > 0), "each citation has its quoted ranges");
    });

    await t.test("the source viewer renders Markdown and highlights exactly the quoted sentences", async () => {
      const quoted = citedPieces(tidesText).filter((p) => p.numbers.includes(1)).map((p) => p.text).join(" ");
      await tides.getByTestId("citation-chip").first().click();
      const viewer = page.getByRole("dialog");
      try {
      const source = viewer.getByTestId("source-text");
      await source.waitFor();
      await viewer.getByTestId("viewer-passage").first().waitFor();
      const marks = (await source.locator("mark").allTextContents()).map(flat).filter(Boolean);
      assert.ok(marks.length >= 1, "something is highlighted");
      for (const mark of marks) assert.ok(quoted.includes(mark), `the highlight "${mark}" is a sentence the answer quotes from [1]: "${quoted}"`);
      const marked = marks.join(" ");
      assert.ok(marked.length >= quoted.length * 0.5 && marked.length < 600, `the highlight is the quote, not the whole passage: "${marked}"`);
      const shown = (await source.textContent()) ?? "";
      assert.doesNotMatch(shown, /(^|\s)#{1,6} |\*\*/, "headings and emphasis are rendered, not shown as # and **");
      const font = await source.evaluate((el) => getComputedStyle(el).fontFamily);
      assert.doesNotMatch(font.replace(/sans-serif/gi, ""), /serif|Georgia|Times/i, `the app's sans font: ${font}`);
      assert.ok(await viewer.getByTestId("viewer-passage").first().isVisible(), "the first quote is scrolled into view");
      await page.screenshot({ path: join(screenshots, "answers-source.png"), animations: "disabled" });
      } finally {
        await page.keyboard.press("Escape");
        await viewer.waitFor({ state: "detached" });
      }
    });

    await t.test("binoculars: the answer names Jupiter", async () => {
      const { text } = await ask("Which planets can I see with binoculars?");
      assert.match(text, /Jupiter/, text);
      assert.doesNotMatch(text, /protostar|spring tides/i, text);
    });

    await t.test("stars: a sentence about how stars form comes first", async () => {
      const { text } = await ask("How are stars born?");
      const first = citedPieces(text)[0]?.text ?? "";
      assert.match(first, /form|collapse|cloud|protostar|gravity/i, `the first quoted sentence is about star birth: ${text}`);
      assert.doesNotMatch(text, /binocular|tide/i, text);
    });

    await t.test("an off-topic question after three on-topic ones gets \"I don't know\"", async () => {
      const { answer, text } = await ask("What's the capital of Peru?");
      assert.match(text, /I don't know/i, text);
      assert.doesNotMatch(text, /\[\d\]/, "nothing is cited");
      assert.equal(await answer.getByTestId("citation-chip").count(), 0);
      assert.equal(await answer.getAttribute("data-answer-kind"), "dont-know", "not labelled as quoted");
      await page.screenshot({ path: join(screenshots, "answers.png"), animations: "disabled", fullPage: true });
    });

    await t.test("at 375 px the conversation fits the screen", async () => {
      await page.setViewportSize({ width: 375, height: 800 });
      await page.reload();
      await main.locator('[data-testid="assistant-message"][data-state="done"]').last().waitFor();
      await noHorizontalOverflow(page);
      await page.screenshot({ path: join(screenshots, "answers-mobile.png"), animations: "disabled" });
    });

    assert.deepEqual(pageErrors, [], "no uncaught page errors");
  } finally {
    await context.close();
  }
});
