// End-to-end story of the CloneAI web app in headless Chromium:
// sign up -> verify email from the outbox -> log in -> become a creator -> create and publish a clone
// -> find it in the marketplace -> open its page; plus a 375 px layout check -> "Try it" from the Studio (a free preview).
//
//   BASE_URL=http://127.0.0.1:7123 CLONEAI_DATA=/path/to/data node --test tests/browser/
// Without BASE_URL the test starts functions/CloneAI.Local (built in Release) on a free port with a fresh
// data folder, and stops it at the end. static-web/dist must be built (npm run build in static-web).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { choose, makePng, noHorizontalOverflow, shoot, startEnvironment, userApi, verificationLink as linkFor, watchCsp } from "./lib.mjs";

let baseUrl = "";
let dataDir = "";
/** @type {import("playwright-core").Browser} */
let browser;
/** @type {() => Promise<void>} */
let stop = async () => {};

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const email = `story-${run}@example.com`;
const password = `Correct-horse-${run}`;
const displayName = `Tess <script>alert(1)</script>`;
const cloneName = `Story Clone ${run}`;

before(async () => {
  const env = await startEnvironment();
  ({ baseUrl, dataDir, browser, stop } = env);
});

after(async () => {
  await stop();
});

const verificationLink = (address) => linkFor(dataDir, address);

// ----------------------------------------------------------------------------------------------------
// The story

test("a new expert signs up, publishes a clone, and a visitor finds it", async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const pageErrors = [];
  const dialogs = [];
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  watchCsp(page, pageErrors);
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  let slug = "";

  try {
    await t.test("sign up", async () => {
      await page.goto(`${baseUrl}/signup`);
      await page.getByLabel("Display name", { exact: true }).fill(displayName);
      await page.getByLabel("Email", { exact: true }).fill(email);
      await page.getByLabel("Password", { exact: true }).fill("too-short");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByText("Use at least 10 characters.").waitFor();
      await page.getByText("Accept the Terms and the Privacy notice to create an account.").waitFor();
      await page.getByLabel("Password", { exact: true }).fill(password);
      await page.getByRole("checkbox", { name: /I accept the Terms and the Privacy notice/ }).check();
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForURL(/\/check-email/);
      await page.getByRole("heading", { name: "Check your email" }).waitFor();
    });

    await t.test("verify the email from the outbox", async () => {
      const link = new URL(await verificationLink(email));
      await page.goto(`${baseUrl}${link.pathname}${link.search}`);
      await page.getByRole("heading", { name: "Your email is verified" }).waitFor();
      await page.getByRole("main").getByRole("link", { name: "Log in" }).click();
      await page.waitForURL(/\/login/);
    });

    await t.test("log in", async () => {
      await page.getByLabel("Email", { exact: true }).fill(email);
      await page.getByLabel("Password", { exact: true }).fill("wrong-password-123");
      await page.getByRole("button", { name: "Log in", exact: true }).click();
      await page.getByText("Wrong email or password").waitFor();
      await page.getByLabel("Password", { exact: true }).fill(password);
      await page.getByRole("button", { name: "Log in", exact: true }).click();
      await page.getByRole("button", { name: "Account menu" }).waitFor();
    });

    await t.test("become a creator", async () => {
      await page.goto(`${baseUrl}/become-creator`);
      await page.getByRole("button", { name: "Become a creator", exact: true }).click();
      await page.waitForURL(/\/studio$/);
      await page.getByRole("heading", { name: "Studio", exact: true }).waitFor();
      await page.getByText("You haven't created a clone yet").waitFor();
    });

    await t.test("edit the profile and upload a photo", async () => {
      await page.getByRole("button", { name: "Account menu" }).click();
      await page.getByRole("menuitem", { name: "Profile" }).click();
      await page.waitForURL(/\/profile$/);
      await page.getByLabel("Bio", { exact: true }).fill("I test things in browsers.");
      await page.getByLabel("Expertise", { exact: true }).fill("Testing, Playwright");
      await page.getByRole("button", { name: "Save profile" }).click();
      await page.getByText("Profile saved").first().waitFor();
      await page.getByLabel("Profile photo", { exact: true }).setInputFiles({ name: "me.png", mimeType: "image/png", buffer: makePng(48) });
      await page.getByRole("button", { name: "Upload photo" }).click();
      await page.getByText("Photo updated").first().waitFor();
      const src = await page.getByRole("button", { name: "Account menu" }).locator("img").getAttribute("src");
      assert.ok(src, "the navigation shows the uploaded photo");
      const photo = await page.request.get(new URL(src, baseUrl).toString());
      assert.equal(photo.status(), 200);
      assert.match(photo.headers()["content-type"] ?? "", /^image\//);
      await page.reload();
      assert.equal(await page.getByLabel("Bio", { exact: true }).inputValue(), "I test things in browsers.");
    });

    await t.test("create a clone with every field and publish it", async () => {
      await page.goto(`${baseUrl}/studio`);
      await page.getByRole("link", { name: "New clone" }).click();
      await page.waitForURL(/\/studio\/new$/);

      // Publishing an empty draft is refused with per-field errors.
      await page.getByLabel("Name", { exact: true }).fill(cloneName);
      await choose(page, "Category", "Technology & Engineering");
      await page.getByRole("button", { name: "Publish", exact: true }).click();
      await page.getByText("Add a greeting before publishing.").waitFor();
      await page.waitForURL(/\/studio\/(?!new)[^/]+$/);

      await page.setInputFiles('input[type="file"]', { name: "clone.png", mimeType: "image/png", buffer: makePng() });
      await page.getByLabel("Tagline", { exact: true }).fill("Answers about <b>browser</b> testing");
      await page
        .getByLabel("Description", { exact: true })
        .fill("A clone made by the browser test.\nIt knows about end-to-end tests and <script>alert(2)</script>.");
      await page.getByLabel("Tags", { exact: true }).fill("testing, automation, qa");
      await page.getByLabel("Greeting", { exact: true }).fill("Hi! Ask me anything about browser tests.");
      await choose(page, "Tone", "Professional");
      await choose(page, "Answer length", "Short");
      await page.getByLabel("Instructions", { exact: true }).fill("Answer briefly and suggest one next step.");
      await page.getByLabel("Topics to avoid", { exact: true }).fill("politics\nmedical advice");
      await page.getByLabel("Price per minute", { exact: true }).fill("0.50");
      await page.getByLabel("Price per message", { exact: true }).fill("0.10");
      await choose(page, "Currency", "USD ($)");
      await page.getByLabel("Free messages", { exact: true }).fill("3");
      await shoot(page, "studio-form.png");

      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.getByText("Draft saved").first().waitFor();
      await page.getByRole("button", { name: "Publish", exact: true }).click();
      await page.getByRole("button", { name: "Unpublish", exact: true }).waitFor();
      await page.getByRole("link", { name: "View in marketplace" }).waitFor();
      const href = await page.getByRole("link", { name: "View in marketplace" }).getAttribute("href");
      slug = decodeURIComponent(href?.split("/clones/")[1] ?? "");
      assert.ok(slug, "the editor links to the public page");
    });

    await t.test("find it in the marketplace and open it", async () => {
      await page.goto(`${baseUrl}/`);
      await page.getByRole("main").getByRole("status").filter({ hasText: "Loading" }).waitFor({ state: "detached" });
      const searched = page.waitForResponse((r) => {
        const url = new URL(r.url());
        return url.pathname === "/api/clones" && url.searchParams.get("q") === cloneName;
      });
      await page.getByLabel("Search clones").fill(cloneName);
      await page.waitForURL((url) => url.searchParams.get("q") === cloneName);
      assert.equal((await searched).status(), 200);
      const card = page.getByRole("link", { name: cloneName, exact: true });
      await card.waitFor();
      assert.equal(await page.getByRole("main").getByRole("listitem").count(), 1, "the search finds exactly the new clone");
      await shoot(page, "marketplace.png");
      await card.click();

      await page.waitForURL(new RegExp(`/clones/${slug}$`));
      await page.getByRole("heading", { level: 1, name: cloneName }).waitFor();
      const main = page.getByRole("main");
      await main.getByText("$0.50 / min · $0.10 / message · 3 free messages").waitFor();
      await main.getByText("Hi! Ask me anything about browser tests.").waitFor();
      // The creator is looking at their own clone: its button starts a free preview.
      await main.getByText("Your own clone: a free preview, not billed and not counted in its statistics.").waitFor();
      assert.equal(await main.getByRole("button", { name: "Try it" }).isEnabled(), true);
      await main.getByText("Answers about <b>browser</b> testing").waitFor();
      // User content is text, never markup.
      await main.getByText(displayName).first().waitFor();
      await main.getByText("#automation").waitFor();
      await main.getByText("Technology & Engineering").waitFor();
      assert.equal(await page.locator("main b, main script").count(), 0);
      await shoot(page, "clone-detail.png");
    });

    await t.test("pages fit a 375 px screen", async () => {
      await page.setViewportSize({ width: 375, height: 812 });
      for (const path of ["/", `/clones/${slug}`, "/studio", "/profile", "/become-creator"]) {
        await page.goto(`${baseUrl}${path}`);
        await page.getByRole("main").waitFor();
        if (path === "/") await page.getByRole("link", { name: cloneName, exact: true }).waitFor();
        if (path === "/studio") await page.getByText(cloneName).first().waitFor();
        await page.waitForLoadState("networkidle");
        const { scrollWidth, width, offenders } = await noHorizontalOverflow(page);
        assert.ok(scrollWidth <= width, `${path} is ${scrollWidth}px wide on a ${width}px screen: ${offenders.join(", ")}`);
        if (path === "/") await shoot(page, "marketplace-mobile.png");
        if (path === `/clones/${slug}`) await shoot(page, "clone-detail-mobile.png");
      }
      const studioEditor = `/studio/${encodeURIComponent(slug)}`;
      await page.goto(`${baseUrl}${studioEditor}`);
      await page.getByLabel("Name", { exact: true }).waitFor();
      const { scrollWidth, width, offenders } = await noHorizontalOverflow(page);
      assert.ok(scrollWidth <= width, `the editor is ${scrollWidth}px wide on a ${width}px screen: ${offenders.join(", ")}`);
      await shoot(page, "studio-form-mobile.png");

      // A long name without a space (80 characters, the most a name may have) wraps in the Studio, its editor and the
      // clone's page instead of widening them. A draft made through the API, deleted again after.
      const api = userApi(baseUrl, await page.evaluate(() => localStorage.getItem("cloneai.accessToken")));
      const longName = `Unbroken${run}`.padEnd(80, "X");
      const categories = await api("GET", "/api/categories");
      const draft = await api("POST", "/api/clones", { name: longName, category: categories[0].id });
      try {
        for (const path of ["/studio", `/studio/${encodeURIComponent(draft.id)}`, `/clones/${encodeURIComponent(draft.id)}`]) {
          await page.goto(`${baseUrl}${path}`);
          await page.getByRole("main").getByText(longName).first().waitFor();
          await page.waitForLoadState("networkidle");
          const long = await noHorizontalOverflow(page);
          assert.ok(long.scrollWidth <= long.width, `${path} with a long clone name is ${long.scrollWidth}px wide on a ${long.width}px screen: ${long.offenders.join(", ")}`);
        }
      } finally {
        await api("DELETE", `/api/clones/${encodeURIComponent(draft.id)}`);
      }
    });

    await t.test("try the clone from the Studio: a free preview that opens with its greeting", async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${baseUrl}/studio`);
      const tryIt = page.getByRole("main").getByRole("button", { name: `Try it: ${cloneName}` });
      const started = page.waitForResponse((r) => r.request().method() === "POST" && /\/api\/clones\/[^/]+\/sessions$/.test(new URL(r.url()).pathname));
      await tryIt.click();
      const response = await started;
      assert.equal(response.status(), 201);
      assert.equal((await response.json()).preview, true, "the owner's session is a preview");
      await page.waitForURL(/\/sessions\/[^/]+$/);
      const main = page.getByRole("main");
      await main.getByTestId("preview-badge").getByText("Preview — free, not counted").waitFor();
      const greeting = main.locator('[data-testid="assistant-message"][data-answer-kind="greeting"]');
      await greeting.getByText("Hi! Ask me anything about browser tests.").waitFor();
      assert.equal(await main.getByTestId("assistant-message").count(), 1, "the greeting is the first and only message");
      await main.getByTestId("session-pricing").getByText(/^Free preview · users pay \$0\.50 \/ min/).waitFor();
      assert.equal(await main.getByRole("button", { name: "Rate" }).count(), 0, "a preview is not rated");

      // Asking works as for anyone (this clone has no documents: it says it doesn't know), and stays free.
      await page.getByLabel("Message", { exact: true }).fill("What can you tell me?");
      await page.getByRole("button", { name: "Send", exact: true }).click();
      await main.locator('[data-testid="assistant-message"][data-state="done"]').nth(1).waitFor({ timeout: 60_000 });
      assert.equal(await main.getByTestId("session-cost").textContent(), "$0.00");
      await shoot(page, "studio-try-it.png");
    });

    await t.test("log out", async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.getByRole("button", { name: "Account menu" }).click();
      await page.getByRole("menuitem", { name: "Log out" }).click();
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Log in" }).waitFor();
      await page.goto(`${baseUrl}/studio`);
      await page.waitForURL(/\/login\?next=%2Fstudio/);
    });

    assert.deepEqual(pageErrors, [], "no script errors on any page");
    assert.deepEqual(dialogs, [], "no alert() ran: user content is never markup");
  } finally {
    await context.close();
  }
});

test("a signed-out visitor on a phone sees a marketplace that fits the screen", async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  try {
    for (const path of ["/", "/login", "/signup", "/forgot-password", "/no-such-page"]) {
      await page.goto(`${baseUrl}${path}`);
      await page.getByRole("main").waitFor();
      await page.waitForLoadState("networkidle");
      const { scrollWidth, width, offenders } = await noHorizontalOverflow(page);
      assert.ok(scrollWidth <= width, `${path} is ${scrollWidth}px wide on a ${width}px screen: ${offenders.join(", ")}`);
    }
    await page.goto(`${baseUrl}/`);
    await page.getByRole("button", { name: "Open menu" }).click();
    await page.getByRole("menuitem", { name: "Marketplace" }).waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign up" }).waitFor();
  } finally {
    await context.close();
  }
});
