// Shared pieces of the browser tests: start (or reuse) the local host, launch Debian's Chromium,
// read verification emails from the outbox, and page helpers (selects, screenshots, overflow checks).
//
// Without BASE_URL a test file starts functions/CloneAI.Local (built in Release) on a free port with a fresh
// data folder and stops it at the end; with BASE_URL (and CLONEAI_DATA, for the outbox) it uses that host.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "..", "..");
export const screenshots = join(here, "screenshots");
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hostDll = join(repoRoot, "functions/CloneAI.Local/bin/Release/net10.0/CloneAI.Local.dll");

// ----------------------------------------------------------------------------------------------------
// Host and browser lifecycle

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForHealth(url, timeoutMs, env) {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (env.host && env.host.exitCode !== null) throw new Error(`The host exited with code ${env.host.exitCode}:\n${env.hostLog}`);
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url}/api/health did not answer 200 within ${timeoutMs} ms (last: ${last}).\n${env.hostLog}`);
}

/** Debian's Chromium, headless, with nothing that reaches the network on its own. */
export async function launchBrowser() {
  assert.ok(existsSync(chromiumPath), `Chromium not found at ${chromiumPath} (apt-get install -y chromium).`);
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/**
 * Starts the host (unless BASE_URL is set) and Chromium. `hostArgs` are extra host arguments (for example
 * `--Local:Demo=true`, which seeds the demo clone); they are ignored with BASE_URL.
 * @param {{ hostArgs?: string[] }} [options]
 * @returns {Promise<{ baseUrl: string, dataDir: string, browser: import("playwright-core").Browser, hostLog: () => string, stop: () => Promise<void> }>}
 */
export async function startEnvironment({ hostArgs = [] } = {}) {
  assert.ok(existsSync(chromiumPath), `Chromium not found at ${chromiumPath} (apt-get install -y chromium).`);
  await mkdir(screenshots, { recursive: true });
  const env = {
    baseUrl: process.env.BASE_URL?.replace(/\/+$/, "") ?? "",
    dataDir: process.env.CLONEAI_DATA ?? "",
    ownDataDir: "",
    /** @type {import("node:child_process").ChildProcess | null} */
    host: null,
    hostLog: "",
  };
  if (!env.baseUrl) {
    assert.ok(existsSync(hostDll), `Build the host first: dotnet build functions/CloneAI.Local -c Release (missing ${hostDll}).`);
    assert.ok(
      existsSync(join(repoRoot, "static-web/dist/index.html")),
      "Build the web app first: cd static-web && npm ci && npm run build.",
    );
    env.ownDataDir = await mkdtemp(join(tmpdir(), "cloneai-browser-"));
    env.dataDir = env.ownDataDir;
    const port = await freePort();
    env.baseUrl = `http://127.0.0.1:${port}`;
    env.host = spawn("dotnet", [hostDll, "--data", env.dataDir, "--urls", env.baseUrl, ...hostArgs], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      // The tests sign up and sign in many accounts from this one client: the per-client request throttles are off here.
      env: {
        AuthThrottle__ClientRequestsPerMinute: "0",
        AuthThrottle__LoginRequestsPerClientPerMinute: "0",
        AuthThrottle__ClientLoginFailuresBeforeSlowDown: "0",
        ...process.env,
        DOTNET_NOLOGO: "1",
        DOTNET_CLI_TELEMETRY_OPTOUT: "1",
      },
    });
    const keep = (chunk) => {
      env.hostLog = (env.hostLog + chunk.toString()).slice(-20_000);
    };
    env.host.stdout?.on("data", keep);
    env.host.stderr?.on("data", keep);
    await waitForHealth(env.baseUrl, 60_000, env);
  } else {
    assert.ok(env.dataDir, "Set CLONEAI_DATA to the host's data folder (the test reads verification emails from its outbox).");
    await waitForHealth(env.baseUrl, 30_000, env);
  }
  const browser = await launchBrowser();

  const stop = async () => {
    await browser.close().catch(() => {});
    const host = env.host;
    if (host && host.exitCode === null && host.pid) {
      const exited = new Promise((r) => host.once("exit", r));
      process.kill(host.pid, "SIGTERM");
      const timer = setTimeout(() => host.pid && host.exitCode === null && process.kill(host.pid, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (env.ownDataDir) await rm(env.ownDataDir, { recursive: true, force: true });
  };

  return { baseUrl: env.baseUrl, dataDir: env.dataDir, browser, hostLog: () => env.hostLog, stop };
}

// ----------------------------------------------------------------------------------------------------
// Email

/** Decodes quoted-printable soft line breaks and =XX escapes (enough for the links in our emails). */
function decodeQuotedPrintable(text) {
  return text.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * The newest email to `address` in `dataDir/outbox` whose decoded text passes `accept`, waiting for it to land.
 * @returns {Promise<string>} the email's text, quoted-printable decoded
 */
export async function outboxEmail(dataDir, address, accept, timeoutMs = 15_000) {
  const outbox = join(dataDir, "outbox");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const names = existsSync(outbox) ? (await readdir(outbox)).filter((n) => n.endsWith(".eml")).sort().reverse() : [];
    for (const name of names) {
      const raw = await readFile(join(outbox, name), "utf8");
      // Only quoted-printable bodies are decoded: in a plain body "token=aB..." must not turn into a byte.
      const text = /content-transfer-encoding:\s*quoted-printable/i.test(raw) ? decodeQuotedPrintable(raw) : raw;
      if (text.toLowerCase().includes(address.toLowerCase()) && accept(text)) return text;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`No matching email for ${address} in ${outbox}.`);
}

/** The newest verification link sent to `address`, waiting for the email to land in `dataDir/outbox`. */
export async function verificationLink(dataDir, address, timeoutMs = 15_000) {
  const pattern = /https?:\/\/[^\s"'<>]*\/verify\?token=[^\s"'<>&]+/;
  const text = await outboxEmail(dataDir, address, (t) => pattern.test(t), timeoutMs).catch(() => {
    throw new Error(`No verification email for ${address} in ${join(dataDir, "outbox")}.`);
  });
  return text.match(pattern)[0];
}

// ----------------------------------------------------------------------------------------------------
// A PNG made here, so the tests need no fixture file

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
/** A small gradient PNG. */
export function makePng(size = 64) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour RGB
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      row[1 + x * 3] = 80 + Math.round((x / size) * 120);
      row[2 + x * 3] = 70;
      row[3 + x * 3] = 200 + Math.round((y / size) * 55);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(Buffer.concat(rows))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

// ----------------------------------------------------------------------------------------------------
// Page helpers

/** Picks `option` in the Radix select labelled `label` (inside `scope`, a page or a locator). */
export async function choose(scope, label, option) {
  await scope.getByLabel(label, { exact: true }).click();
  const page = "page" in scope && typeof scope.page === "function" ? scope.page() : scope;
  await page.getByRole("option", { name: option, exact: true }).click();
  await page.getByRole("listbox").waitFor({ state: "detached" });
}

/** A full-page screenshot taken from the top, so sticky bars sit where a person sees them. */
export async function shoot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(screenshots, name), fullPage: true, animations: "disabled" });
}

export async function noHorizontalOverflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const offenders = [...document.querySelectorAll("body *")]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.right > width + 1 || r.left < -1);
      })
      .filter((el) => !el.closest("[data-radix-popper-content-wrapper]") && getComputedStyle(el).position !== "fixed")
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)}`);
    return { scrollWidth: document.documentElement.scrollWidth, width, offenders };
  });
}

/** A JSON client for the API at baseUrl: call(method, path, body?, token?) throws with the problem text on failure. */
export function apiClient(baseUrl) {
  return async function call(method, path, body, token) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} -> ${response.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}

/** A JSON client for the API at baseUrl signed in with `accessToken`: call(method, path, body?). */
export function userApi(baseUrl, accessToken) {
  const call = apiClient(baseUrl);
  return (method, path, body) => call(method, path, body, accessToken);
}

/** The TEST MODE card that always succeeds (4000 0000 0000 0002 is always declined). */
export const TEST_CARD = "4242 4242 4242 4242";

/**
 * Adds `amount` minor units to a user's wallet the way the web app does with the default `test` payment provider: a top-up
 * (POST /api/wallet/top-ups), paid with the test card 4242… (POST /api/wallet/top-ups/{id}/test-pay). `api` is a signed-in
 * client, `userApi(baseUrl, accessToken)`, or `{ baseUrl, accessToken }`. Returns the wallet's new balance.
 * @param {((method: string, path: string, body?: unknown) => Promise<any>) | { baseUrl: string, accessToken?: string, token?: string }} api
 * @param {number} amount minor units, 100 to 100000
 */
export async function fundWallet(api, amount) {
  const call = typeof api === "function" ? api : userApi(api.baseUrl, api.accessToken ?? api.token);
  const topUp = await call("POST", "/api/wallet/top-ups", { amount, idempotencyKey: `fund-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}` });
  const paid = await call("POST", `/api/wallet/top-ups/${encodeURIComponent(topUp.id)}/test-pay`, { cardNumber: TEST_CARD });
  assert.equal(paid.status, "succeeded", `the top-up of ${amount} was not paid: ${JSON.stringify(paid)}`);
  return (await call("GET", "/api/wallet")).balance;
}

/** A verified, logged-in account made through the API (sign up, the outbox's verification link, log in): its tokens. */
export async function verifiedAccount(baseUrl, dataDir, email, password, displayName) {
  const call = apiClient(baseUrl);
  await call("POST", "/api/auth/signup", { email, password, displayName, acceptTerms: true });
  const link = new URL(await verificationLink(dataDir, email));
  await call("POST", "/api/auth/verify", { token: link.searchParams.get("token") });
  return call("POST", "/api/auth/login", { email, password });
}

/**
 * A browser context signed in with the given tokens (stored the way the web app keeps them), and a page in it that records
 * uncaught page errors and dismisses (and records) any dialog.
 */
export async function signedInPage(browser, tokens, contextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
  await context.addInitScript(
    ([access, refresh]) => {
      if (!localStorage.getItem("cloneai.accessToken")) {
        localStorage.setItem("cloneai.accessToken", access);
        localStorage.setItem("cloneai.refreshToken", refresh);
      }
    },
    [tokens.accessToken, tokens.refreshToken],
  );
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
  return { context, page, pageErrors, dialogs };
}

/**
 * Collects the page's Content-Security-Policy violations (the browser reports them on the console) into `sink`, so that a
 * test asserting no page errors also asserts that the policy allows everything the app loads.
 * @param {import("playwright").Page} page
 * @param {string[]} sink
 */
export function watchCsp(page, sink) {
  page.on("console", (message) => {
    const text = message.text();
    if (/Content Security Policy/i.test(text)) sink.push(`CSP: ${text}`);
  });
}

/**
 * Uploads one file to a clone's knowledge through the API and waits until its document is Ready (it fails at once when the
 * document fails, and after `timeoutMs`, with the end of the host's log).
 * @returns {Promise<any>} the uploaded document
 */
export async function uploadReady(baseUrl, token, cloneId, { name, text, type }, timeoutMs, hostLog = () => "") {
  const call = apiClient(baseUrl);
  const form = new FormData();
  form.append("files", new Blob([text], { type }), name);
  const response = await fetch(`${baseUrl}/api/clones/${encodeURIComponent(cloneId)}/documents`, {
    method: "POST",
    headers: { Accept: "application/json", Authorization: `Bearer ${token}` },
    body: form,
  });
  const uploaded = await response.json();
  assert.ok(response.ok, `upload -> ${response.status}: ${JSON.stringify(uploaded)}`);
  const doc = uploaded.items[0];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await call("GET", `/api/clones/${encodeURIComponent(cloneId)}/documents/${encodeURIComponent(doc.id)}`, undefined, token);
    if (current.status === "ready") return doc;
    if (current.status === "failed") throw new Error(`The document failed: ${current.error}`);
    if (Date.now() > deadline) throw new Error(`The document is not Ready after ${timeoutMs} ms (${current.stage}).\n${hostLog().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * A published clone about tides with one Ready document (tides.md), made through the API by a creator: the clone's JSON.
 * `pricing` is the clone's price (for example `{ perMessage: 100, currency: "USD", freeMessages: 0 }`).
 */
export async function publishedTideClone(baseUrl, creatorToken, { name, pricing }, timeoutMs, hostLog = () => "") {
  const call = apiClient(baseUrl);
  const categories = await call("GET", "/api/categories");
  const clone = await call(
    "POST",
    "/api/clones",
    {
      name,
      category: categories[0]?.id,
      tagline: "Tides, from its sources",
      description: "A clone that answers questions about tides from its sources.",
      persona: { greeting: "Hi! Ask me about tides.", instructions: "Answer from the sources and cite them.", answerLength: "short" },
      pricing,
    },
    creatorToken,
  );
  const text = "# Tides\n\nTides are caused mainly by the gravitational pull of the Moon on the oceans. The Sun adds a smaller pull.\n";
  await uploadReady(baseUrl, creatorToken, clone.id, { name: "tides.md", text, type: "text/markdown" }, timeoutMs, hostLog);
  await call("POST", `/api/clones/${encodeURIComponent(clone.id)}/publish`, undefined, creatorToken);
  return clone;
}
