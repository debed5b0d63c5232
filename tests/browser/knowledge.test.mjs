// Browser test of a clone's Knowledge tab in headless Chromium:
// (setup through the API) sign up -> verify the email from the outbox -> log in -> become a creator -> create a clone;
// (in the UI) open the Knowledge tab -> upload a .txt and a .md with per-file progress -> both become Ready
// -> a duplicate upload says so -> search a word from the .txt -> the passage shows it highlighted
// -> open the passage in the document viewer -> the viewer shows the passage; plus a 375 px layout check.
//
//   BASE_URL=http://127.0.0.1:7123 CLONEAI_DATA=/path/to/data node --test tests/browser/knowledge.test.mjs
// Without BASE_URL the test starts functions/CloneAI.Local (built in Release) on a free port with a fresh data
// folder (see lib.mjs). Ingestion embeds with the local ONNX model, so Ready can take a while (up to 120 s here).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { apiClient, signedInPage, noHorizontalOverflow, shoot, startEnvironment, verifiedAccount } from "./lib.mjs";

let baseUrl = "";
let dataDir = "";
/** @type {import("playwright-core").Browser} */
let browser;
/** @type {() => Promise<void>} */
let stop = async () => {};
/** @type {() => string} */
let hostLog = () => "";

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const email = `knowledge-${run}@example.com`;
const password = `Correct-horse-${run}`;
const cloneName = `Knowledge Clone ${run}`;
const READY_TIMEOUT_MS = 120_000;

const TXT_NAME = "photosynthesis.txt";
const TXT = [
  "Photosynthesis converts light energy into chemical energy in chloroplasts.",
  "",
  "Plants, algae and some bacteria capture sunlight with chlorophyll, a green pigment packed into the thylakoid membranes. " +
    "The light-dependent reactions split water, release oxygen and store energy in ATP and NADPH.",
  "",
  "In the Calvin cycle, which runs in the stroma, the enzyme RuBisCO fixes carbon dioxide from the air. " +
    "The ATP and NADPH made by the light reactions turn that carbon into sugars such as glucose.",
  "",
  "Almost every food chain on Earth starts with photosynthesis, and the oxygen in the atmosphere comes from it. " +
    "Leaves are thin and broad so that as much light as possible reaches the cells that hold the chloroplasts.",
].join("\n");

const MD_NAME = "volcanoes.md";
const MD = [
  "# Volcanoes",
  "",
  "A volcano is an opening in the crust where molten rock, ash and gases escape from below the surface.",
  "",
  "## Magma",
  "",
  "Magma forms in the mantle when rock melts. When it reaches the surface it is called lava. Text like <b>this</b> stays text.",
  "",
  "## Eruptions",
  "",
  "Explosive eruptions happen when gas-rich, sticky magma fragments into ash. Effusive eruptions pour out runny basalt lava, as in Hawaii.",
].join("\n");

// The realtime test's document: small, so it is Ready in a few seconds.
const LIVE_NAME = "tides.txt";
const LIVE_TEXT = "Tides are the rise and fall of sea levels caused by the gravitational pull of the Moon and the Sun.";

/** A WebSocket frame's JSON, or null. */
function parse(payload) {
  try {
    return JSON.parse(String(payload));
  } catch {
    return null;
  }
}

before(async () => {
  ({ baseUrl, dataDir, browser, stop, hostLog } = await startEnvironment());
});

after(async () => {
  await stop();
});

/** JSON request to the API; throws with the problem text on failure. */
const call = (...args) => apiClient(baseUrl)(...args);

/** A verified creator with one draft clone, made through the API (the story test covers these pages). */
async function setUp(address = email, name = cloneName) {
  const tokens = await verifiedAccount(baseUrl, dataDir, address, password, "Kim Knowledge");
  await call("POST", "/api/me/creator", undefined, tokens.accessToken);
  const categories = await call("GET", "/api/categories");
  const clone = await call("POST", "/api/clones", { name, category: categories[0]?.id }, tokens.accessToken);
  return { tokens, clone };
}

test("a creator fills a clone's knowledge and searches it", async (t) => {
  const { tokens, clone } = await setUp();
  const { context, page, pageErrors, dialogs } = await signedInPage(browser, tokens);
  const documents = page.getByRole("list", { name: "Documents", exact: true });

  try {
    await t.test("open the Knowledge tab", async () => {
      await page.goto(`${baseUrl}/studio/${encodeURIComponent(clone.id)}`);
      await page.getByLabel("Name", { exact: true }).waitFor();
      await page.getByRole("navigation", { name: "Clone editor sections" }).getByRole("link", { name: "Knowledge" }).click();
      await page.waitForURL(new RegExp(`/studio/${clone.id}/knowledge$`));
      await page.getByText("No documents yet — drop PDFs, Word files, text, Markdown or HTML here").first().waitFor();
      await page.getByRole("button", { name: "Choose files" }).waitFor();
      const accept = await page.locator('input[type="file"]').getAttribute("accept");
      assert.equal(accept, ".pdf,.docx,.txt,.md,.markdown,.html,.htm");
    });

    await t.test("upload two files, each with its own progress, and see them become Ready", async () => {
      await page.getByLabel("Tags for new documents", { exact: true }).fill("science, test");
      const posts = [];
      page.on("request", (r) => {
        if (r.method() === "POST" && new URL(r.url()).pathname === `/api/clones/${clone.id}/documents`) posts.push(r);
      });
      await page.locator('input[type="file"]').setInputFiles([
        { name: TXT_NAME, mimeType: "text/plain", buffer: Buffer.from(TXT) },
        { name: MD_NAME, mimeType: "text/markdown", buffer: Buffer.from(MD) },
        { name: "tool.exe", mimeType: "application/octet-stream", buffer: Buffer.from("MZ not a document") },
      ]);
      const uploads = page.getByRole("list", { name: "Uploads" });
      await uploads.getByText("isn't supported").waitFor();
      await uploads.getByRole("listitem").filter({ hasText: TXT_NAME }).getByText("Uploaded", { exact: true }).waitFor();
      await uploads.getByRole("listitem").filter({ hasText: MD_NAME }).getByText("Uploaded", { exact: true }).waitFor();
      assert.equal(posts.length, 2, "one request per accepted file (the .exe is refused before sending)");

      await documents.getByRole("listitem").nth(1).waitFor();
      const deadline = Date.now() + READY_TIMEOUT_MS;
      for (;;) {
        const statuses = await documents.getByRole("listitem").evaluateAll((els) => els.map((el) => el.getAttribute("data-status")));
        if (statuses.length === 2 && statuses.every((s) => s === "ready")) break;
        if (statuses.includes("failed")) {
          const text = await documents.innerText();
          throw new Error(`A document failed:\n${text}`);
        }
        if (Date.now() > deadline) throw new Error(`Documents not Ready after ${READY_TIMEOUT_MS} ms: ${statuses.join(", ")}\n${hostLog().slice(-3000)}`);
        await page.waitForTimeout(500);
      }
      await documents.getByText("Ready", { exact: true }).first().waitFor();
      await documents.getByText("#science").first().waitFor();
      const stats = page.getByRole("definition").first();
      await stats.filter({ hasText: "2" }).waitFor();
      // The upload of the same bytes again is recognised.
      await page.locator('input[type="file"]').setInputFiles([{ name: TXT_NAME, mimeType: "text/plain", buffer: Buffer.from(TXT) }]);
      await uploads.getByText("Already in this clone").waitFor();
      assert.equal(await documents.getByRole("listitem").count(), 2, "a duplicate adds no document");
    });

    await t.test("search and see the passage with the word highlighted", async () => {
      await page.getByLabel("Search knowledge", { exact: true }).fill("chloroplasts");
      await page.getByRole("button", { name: "Search", exact: true }).click();
      const passages = page.getByRole("list", { name: "Passages" });
      const first = passages.getByRole("listitem").first();
      await first.waitFor();
      await first.getByText(TXT_NAME).or(first.getByText("photosynthesis", { exact: false })).first().waitFor();
      const marks = await first.locator("mark").allInnerTexts();
      assert.ok(marks.length > 0, "the query word is highlighted");
      assert.ok(marks.every((m) => m.toLowerCase() === "chloroplasts"), `only the query word is marked: ${marks.join(", ")}`);
      await shoot(page, "knowledge.png");
    });

    await t.test("open the passage in the document viewer", async () => {
      const first = page.getByRole("list", { name: "Passages" }).getByRole("listitem").first();
      const passageText = (await first.getByTestId("passage-text").innerText()).replace(/\s+/g, " ").trim();
      await first.getByRole("button").click();
      const viewer = page.getByRole("dialog");
      await viewer.waitFor();
      const highlighted = viewer.getByTestId("viewer-passage");
      await highlighted.waitFor();
      const shown = (await highlighted.innerText()).replace(/\s+/g, " ").trim();
      assert.ok(shown.length > 0, "the viewer highlights the passage");
      assert.ok(
        passageText.startsWith(shown.slice(0, 40)) || shown.includes(passageText.slice(0, 40)),
        `the viewer shows the passage:\nviewer: ${shown.slice(0, 200)}\nresult: ${passageText.slice(0, 200)}`,
      );
      assert.match(shown, /chloroplasts/i);
      assert.ok(await highlighted.isVisible(), "the passage is scrolled into view");
      await page.screenshot({ path: new URL("./screenshots/knowledge-viewer.png", import.meta.url).pathname, animations: "disabled" });
      await page.keyboard.press("Escape");
      await viewer.waitFor({ state: "detached" });
    });

    await t.test("the Knowledge tab fits a 375 px screen", async () => {
      await page.setViewportSize({ width: 375, height: 812 });
      await page.reload();
      await documents.getByRole("listitem").first().waitFor();
      await page.waitForLoadState("networkidle");
      const { scrollWidth, width, offenders } = await noHorizontalOverflow(page);
      assert.ok(scrollWidth <= width, `the Knowledge tab is ${scrollWidth}px wide on a ${width}px screen: ${offenders.join(", ")}`);
      await shoot(page, "knowledge-mobile.png");
    });

    assert.equal(await page.locator("main b, main script").count(), 0, "document text is never markup");
    assert.deepEqual(pageErrors, [], "no script errors on any page");
    assert.deepEqual(dialogs, [], "no alert() ran");
  } finally {
    await context.close();
  }
});

test("the Knowledge tab follows ingestion over the realtime hub, even with list polling cut off", async (t) => {
  const { tokens, clone } = await setUp(`knowledge-live-${run}@example.com`, `Live Clone ${run}`);
  const { context, page, pageErrors, dialogs } = await signedInPage(browser, tokens);
  const documents = page.getByRole("list", { name: "Documents", exact: true });
  /** @type {string[]} */
  const joined = [];
  /** @type {{ cloneId: string, documentId: string, status: string, stage: string, progress: number }[]} */
  const frames = [];
  const socketOpened = page.waitForEvent("websocket", { predicate: (ws) => new URL(ws.url()).pathname === "/client/hubs/cloneai" });
  page.on("websocket", (ws) => {
    ws.on("framesent", ({ payload }) => {
      const frame = parse(payload);
      if (frame?.type === "joinGroup") joined.push(frame.group);
    });
    ws.on("framereceived", ({ payload }) => {
      const frame = parse(payload);
      if (frame?.type === "message" && frame.data?.type === "document") frames.push(frame.data);
    });
  });

  try {
    await page.goto(`${baseUrl}/studio/${encodeURIComponent(clone.id)}/knowledge`);
    const socket = await socketOpened;
    assert.equal(new URL(socket.url()).host, new URL(baseUrl).host, "the hub is the local host's own");
    await page.getByText("Live", { exact: true }).waitFor();
    assert.ok(joined.some((g) => g.startsWith("user-")), `joined the user's group: ${joined.join(", ")}`);

    // From here the list is never fetched again: only frames (and the fetch of the finished document) can move the row.
    let blocked = 0;
    const documentList = (/** @type {URL} */ url) => url.pathname === `/api/clones/${clone.id}/documents`;
    await page.route(documentList, (route) => {
      if (route.request().method() !== "GET") return route.continue();
      blocked++;
      return route.abort();
    });
    await page.locator('input[type="file"]').setInputFiles([{ name: LIVE_NAME, mimeType: "text/plain", buffer: Buffer.from(LIVE_TEXT) }]);
    await page.getByRole("list", { name: "Uploads" }).getByText("Uploaded", { exact: true }).waitFor();
    const row = documents.getByRole("listitem").filter({ hasText: LIVE_NAME });
    await row.waitFor();
    try {
      await documents.locator('li[data-status="ready"]').filter({ hasText: LIVE_NAME }).waitFor({ timeout: READY_TIMEOUT_MS });
    } catch (error) {
      const status = await row.getAttribute("data-status").catch(() => "?");
      throw new Error(`The row is ${status}, not ready; frames: ${JSON.stringify(frames)}\n${hostLog().slice(-3000)}`, { cause: error });
    }
    await row.getByText(/\d+ chunks?/).waitFor();

    const mine = frames.filter((f) => f.cloneId === clone.id);
    assert.ok(mine.length >= 2, `progress frames arrived: ${JSON.stringify(frames)}`);
    assert.ok(mine.some((f) => f.status === "processing"), "a frame while processing");
    assert.ok(mine.some((f) => f.status === "ready" && f.stage === "done" && f.progress === 100), "a frame for Ready");
    assert.equal(new Set(mine.map((f) => f.documentId)).size, 1, "all for the one document");
    await page.unroute(documentList);
    t.diagnostic(`${mine.length} document frames; ${blocked} list polls blocked`);

    assert.deepEqual(pageErrors, [], "no script errors");
    assert.deepEqual(dialogs, [], "no alert() ran");
  } finally {
    await context.close();
  }
});
