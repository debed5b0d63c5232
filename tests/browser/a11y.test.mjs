// Accessibility check of every page of the web app with axe-core (WCAG 2.0 and 2.1, levels A and AA), signed out and
// signed in, at 1280 and 375 px. Setup through the API: a creator with a published clone that has one Ready document,
// and a user with a session on it that holds an answer. Each page is opened, its content is awaited (its main heading
// and no loading indicator), then axe analyses it; any violation fails the test with its rule, impact and node targets.
//
//   BASE_URL=http://127.0.0.1:7123 CLONEAI_DATA=/path/to/data node --test tests/browser/a11y.test.mjs
// Without BASE_URL the test starts functions/CloneAI.Local (built in Release) on a free port with a fresh data folder.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { apiClient, fundWallet, signedInPage, startEnvironment, uploadReady, verifiedAccount } from "./lib.mjs";

let baseUrl = "";
let dataDir = "";
/** @type {import("playwright-core").Browser} */
let browser;
/** @type {() => Promise<void>} */
let stop = async () => {};
/** @type {() => string} */
let hostLog = () => "";
/** An admin (by the host's Auth:AdminEmails), for the admin pages. */
const adminEmail = `a11y-admin-${Date.now().toString(36)}@example.com`;

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const password = `Correct-horse-${run}`;
const cloneName = `Star Guide ${run}`;
const READY_TIMEOUT_MS = 120_000;
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const VIEWPORTS = [
  { name: "1280", viewport: { width: 1280, height: 900 } },
  { name: "375", viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true },
];
const DOC = [
  "# Tides",
  "",
  "Tides are caused mainly by the gravitational pull of the Moon on the oceans, with the Sun adding a smaller pull of its own.",
  "",
  "When the Sun and the Moon line up, at new and full moon, their pulls add up and make spring tides with the largest range.",
].join("\n");

/** Set up once: { creator, user, clone, sessionId, previewId }. */
let world;

before(async () => {
  ({ baseUrl, dataDir, browser, stop, hostLog } = await startEnvironment({ hostArgs: [`--Auth:AdminEmails:0=${adminEmail}`] }));
  world = await setUp();
});

after(async () => {
  await stop();
});

const call = (...args) => apiClient(baseUrl)(...args);

const account = (email, displayName) => verifiedAccount(baseUrl, dataDir, email, password, displayName);

async function setUp() {
  const creator = await account(`a11y-creator-${run}@example.com`, "Cora Creator");
  const token = creator.accessToken;
  await call("POST", "/api/me/creator", undefined, token);
  const categories = await call("GET", "/api/categories");
  const clone = await call(
    "POST",
    "/api/clones",
    {
      name: cloneName,
      category: categories[0]?.id,
      tagline: "Tides and the sky, from its sources",
      description: "A clone that answers questions about tides from its sources.",
      persona: { greeting: "Hi! Ask me about tides.", instructions: "Answer from the sources and cite them.", answerLength: "medium" },
      pricing: { perMinute: 50, perMessage: 10, currency: "USD", freeMessages: 1 },
    },
    token,
  );
  await uploadReady(baseUrl, token, clone.id, { name: "tides.md", text: DOC, type: "text/markdown" }, READY_TIMEOUT_MS, hostLog);
  const published = await call("POST", `/api/clones/${encodeURIComponent(clone.id)}/publish`, undefined, token);

  const user = await account(`a11y-user-${run}@example.com`, "Una User");
  await fundWallet({ baseUrl, accessToken: user.accessToken }, 5000); // the clone is paid: sessions draw from the wallet
  const session = await call("POST", `/api/clones/${encodeURIComponent(clone.id)}/sessions`, {}, user.accessToken);
  const asked = await fetch(`${baseUrl}/api/sessions/${encodeURIComponent(session.id)}/messages`, {
    method: "POST",
    headers: { Accept: "text/event-stream", "Content-Type": "application/json", Authorization: `Bearer ${user.accessToken}` },
    body: JSON.stringify({ content: "What causes the tides?", clientMessageId: randomUUID() }),
  });
  const stream = await asked.text(); // the whole answer: the stream ends with it
  assert.ok(asked.ok, `ask -> ${asked.status}: ${stream.slice(0, 500)}`);
  // Something remembered, for the Memory page.
  await call("POST", "/api/me/memories", { kind: "goal", text: "Understand spring tides", cloneId: clone.id }, user.accessToken);
  // The creator trying their own clone: a preview (its badge, no rating).
  const preview = await call("POST", `/api/clones/${encodeURIComponent(clone.id)}/sessions`, {}, token);
  assert.equal(preview.preview, true, "the owner's session is a preview");
  // A top-up of the user's, waiting on its TEST MODE checkout.
  const topUp = await call("POST", "/api/wallet/top-ups", { amount: 1000, idempotencyKey: `a11y-${run}` }, user.accessToken);
  const admin = await account(adminEmail, "Ada Admin");
  return { creator, user, admin, clone: published, sessionId: session.id, previewId: preview.id, topUpId: topUp.id };
}

/**
 * The pages to check: [name, path, who] where who is null (signed out), "creator", "user" or "admin".
 * @returns {Array<[string, string, null | "creator" | "user" | "admin"]>}
 */
function pages() {
  const { clone, sessionId, previewId, topUpId } = world;
  const slug = encodeURIComponent(clone.slug);
  const id = encodeURIComponent(clone.id);
  return [
    ["marketplace", "/", null],
    ["clone detail", `/clones/${slug}`, null],
    ["login", "/login", null],
    ["signup", "/signup", null],
    ["forgot password", "/forgot-password", null],
    ["reset password", "/reset-password?token=not-a-real-token", null],
    ["check email", `/check-email?email=${encodeURIComponent("someone@example.com")}`, null],
    ["verify (bad link)", "/verify?token=not-a-real-token", null],
    ["become creator", "/become-creator", null],
    ["not found", "/no-such-page", null],
    ["marketplace", "/", "user"],
    ["clone detail", `/clones/${slug}`, "user"],
    ["profile", "/profile", "user"],
    ["become creator", "/become-creator", "user"],
    ["sessions", "/sessions", "user"],
    ["chat session", `/sessions/${encodeURIComponent(sessionId)}`, "user"],
    ["memory", "/memory", "user"],
    ["wallet", "/wallet", "user"],
    ["checkout (test mode)", `/checkout/${encodeURIComponent(topUpId)}`, "user"],
    ["statements", "/statements", "user"],
    ["progress", `/progress?clone=${id}`, "user"],
    ["statement", `/statements/${new Date().toISOString().slice(0, 7)}`, "user"],
    ["not found", "/no-such-page", "user"],
    ["marketplace", "/", "creator"],
    ["clone detail", `/clones/${slug}`, "creator"],
    ["profile", "/profile", "creator"],
    ["become creator (already one)", "/become-creator", "creator"],
    ["studio", "/studio", "creator"],
    ["new clone", "/studio/new", "creator"],
    ["clone editor", `/studio/${id}`, "creator"],
    ["clone editor, Knowledge tab", `/studio/${id}/knowledge`, "creator"],
    ["clone editor, Dashboard tab", `/studio/${id}/dashboard`, "creator"],
    ["dashboard", "/dashboard", "creator"],
    ["sessions", "/sessions", "creator"],
    ["chat preview", `/sessions/${encodeURIComponent(previewId)}`, "creator"],
    ["earnings", "/earnings", "creator"],
    ["admin payouts", "/admin/payouts", "admin"],
    ["admin users", "/admin/users", "admin"],
    ["admin clones", "/admin/clones", "admin"],
    ["admin audit", "/admin/audit", "admin"],
    ["admin read conversation", `/admin/sessions/${encodeURIComponent(sessionId)}`, "admin"],
    ["admin (not an admin)", "/admin/users", "user"],
  ];
}

/** Waits for a page's content: a heading in main, no loading indicator, the network quiet, and page-specific content. */
async function waitForContent(page, name) {
  await page.getByRole("main").locator("h1, h2").first().waitFor({ state: "visible" });
  await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => {});
  await page.getByRole("status").filter({ hasText: /^Loading/ }).waitFor({ state: "detached" }).catch(() => {});
  const main = page.getByRole("main");
  if (name === "marketplace") await main.getByText(cloneName).first().waitFor();
  if (name === "studio") await main.getByText(cloneName).first().waitFor();
  if (name === "sessions") await page.locator("main li, main p").first().waitFor();
  if (name === "statements") await page.locator('main [data-testid="statement-row"], main h2').first().waitFor();
  // This month's statement, or (for a user whose wallet never moved) the note that there is none.
  if (name === "statement") await main.locator('iframe[title="Statement"]').or(main.getByText("We couldn't load this statement")).first().waitFor();
  if (name === "chat session" || name === "chat preview") await main.locator('[data-testid="assistant-message"][data-state="done"]').first().waitFor();
  if (name === "chat preview") await main.getByTestId("preview-badge").waitFor();
  if (name === "wallet") await main.getByTestId("wallet-balance").waitFor();
  if (name === "checkout (test mode)") await main.getByTestId("checkout-amount").waitFor();
  if (name === "clone editor, Knowledge tab") await main.getByText("tides.md").first().waitFor();
  if (name === "clone editor, Dashboard tab" || name === "dashboard") await main.getByText("What causes the tides?").first().waitFor();
  if (name.startsWith("clone editor")) await page.getByRole("heading", { level: 1, name: cloneName }).waitFor();
  if (name === "earnings") await main.getByTestId("available").waitFor();
  // With BASE_URL the host is not started with the admin email: the page then says it is for admins.
  if (name === "admin payouts") await main.getByRole("group", { name: "Status" }).or(main.getByText("Payouts are for admins")).or(main.getByText("Admins only")).waitFor();
  if (name === "admin users") await main.getByRole("list", { name: "Users" }).or(main.getByText("Admins only")).first().waitFor();
  if (name === "admin clones") await main.getByRole("list", { name: "Clones" }).or(main.getByText("Admins only")).first().waitFor();
  if (name === "admin audit") await main.getByRole("heading", { level: 1, name: "Audit log" }).or(main.getByText("Admins only")).first().waitFor();
  if (name === "admin (not an admin)") await main.getByText("Admins only").waitFor();
  // Let entrance transitions settle so colours are measured as shown.
  await page.waitForTimeout(400);
}

function describe(violations) {
  return violations
    .map((v) => `  ${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")} ${n.html.replace(/\s+/g, " ").slice(0, 200)}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, " ").slice(0, 240)}` : ""}`).join("\n")}`)
    .join("\n");
}

for (const { name: width, viewport, ...options } of VIEWPORTS) {
  test(`every page has no WCAG 2.1 A/AA violations at ${width} px`, async (t) => {
    const contexts = {};
    const open = async (who) => {
      if (contexts[who ?? "out"]) return contexts[who ?? "out"];
      const made =
        who === null
          ? await (async () => {
              const context = await browser.newContext({ viewport, ...options });
              const page = await context.newPage();
              page.setDefaultTimeout(15_000);
              return { context, page };
            })()
          : await signedInPage(browser, world[who], { viewport, ...options });
      contexts[who ?? "out"] = made;
      return made;
    };
    const failures = [];
    try {
      for (const [name, path, who] of pages()) {
        await t.test(`${name} (${who ?? "signed out"})`, async () => {
          const { page } = await open(who);
          await page.goto(`${baseUrl}${path}`);
          await waitForContent(page, name);
          const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
          if (results.violations.length > 0) failures.push(`${name} (${who ?? "signed out"}) ${path}:\n${describe(results.violations)}`);
          assert.equal(results.violations.length, 0, `axe violations on ${path}:\n${describe(results.violations)}`);
        });
      }
    } finally {
      for (const { context } of Object.values(contexts)) await context.close();
    }
    if (failures.length) console.log(failures.join("\n\n"));
  });
}
