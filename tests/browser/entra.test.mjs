// The web app as azd deploys it: built with VITE_API_BASE_URL (the API on another origin), served with the
// staticwebapp.config.json headers the build emitted (its CSP), signing in with Microsoft Entra through MSAL.
//
// Entra is faked with Playwright routes (authorize redirects back with a code; the token endpoint answers with tokens) and
// the API with a small loopback server that takes only the access token the fake Entra issued. What is real: the production
// bundle, MSAL's redirect flow with PKCE, the token on each API call, the cross-origin calls and the CSP that allows them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { after, before, test } from "node:test";
import { freePort, launchBrowser, repoRoot } from "./lib.mjs";

const AUTHORITY_HOST = "https://contoso.ciamlogin.com";
const TENANT = "tenant-1";
const CLIENT_ID = "client-1";
const SCOPE = `api://${CLIENT_ID}/access_as_user`;
const ACCESS_TOKEN = "entra-access-token";

let dist, webOrigin, apiOrigin, browser, apiServer, webServer, workDir;
const apiCalls = [];

const b64url = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");

before(async () => {
  const [apiPort, webPort] = [await freePort(), await freePort()];
  apiOrigin = `http://127.0.0.1:${apiPort}`;
  webOrigin = `http://127.0.0.1:${webPort}`;
  workDir = await mkdtemp(join(tmpdir(), "cloneai-entra-"));
  dist = join(workDir, "dist");
  // What azd's prepackage hook arranges: the production build learns the API's URL.
  const build = spawnSync("npx", ["vite", "build", "--outDir", dist, "--emptyOutDir", "--logLevel", "error"], {
    cwd: join(repoRoot, "static-web"),
    env: { ...process.env, VITE_API_BASE_URL: apiOrigin },
    encoding: "utf8",
  });
  assert.equal(build.status, 0, `vite build failed:\n${build.stdout}\n${build.stderr}`);
  const swa = JSON.parse(await readFile(join(dist, "staticwebapp.config.json"), "utf8"));
  assert.match(swa.globalHeaders["Content-Security-Policy"], new RegExp(`connect-src [^;]*${apiOrigin.replace(/[.]/g, "\\.")}`));

  // The API: CORS for the web origin only, and nothing without the token Entra issued.
  apiServer = createServer((req, res) => {
    const cors = {
      "Access-Control-Allow-Origin": webOrigin,
      "Access-Control-Allow-Headers": "Authorization, Content-Type, Accept",
      "Access-Control-Allow-Methods": "GET, POST, PATCH, PUT, DELETE",
    };
    if (req.method === "OPTIONS") return res.writeHead(204, cors).end();
    apiCalls.push({ url: req.url, auth: req.headers.authorization ?? null, origin: req.headers.origin ?? null });
    const send = (status, body) => res.writeHead(status, { ...cors, "Content-Type": "application/json" }).end(JSON.stringify(body));
    if (req.url === "/api/config") {
      return send(200, {
        authMode: "entra", version: "test", features: { chat: true, knowledge: true },
        entra: { clientId: CLIENT_ID, authority: `${AUTHORITY_HOST}/${TENANT}`, scopes: [SCOPE], knownAuthorities: ["contoso.ciamlogin.com"] },
      });
    }
    if (req.url.startsWith("/api/categories")) return send(200, []);
    if (req.url.startsWith("/api/clones")) return send(200, { items: [], continuationToken: null });
    if (req.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) return send(401, { title: "Unauthorized", status: 401 });
    if (req.url === "/api/me/sign-out-everywhere" && req.method === "POST") return res.writeHead(204, cors).end();
    if (req.url === "/api/me") {
      return send(200, {
        id: "u1", email: "ada@example.com", displayName: "Ada Entra", bio: "", expertise: [], timezone: "UTC", roles: [],
        isCreator: false, isAdmin: false, emailVerified: true, avatarUrl: null, createdAt: new Date().toISOString(),
      });
    }
    return send(404, { title: "Not found", status: 404 });
  });
  // The Static Web App: the built files with the emitted global headers, index.html for client-side routes.
  const types = { ".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".json": "application/json", ".svg": "image/svg+xml", ".woff2": "font/woff2" };
  webServer = createServer(async (req, res) => {
    const path = new URL(req.url, webOrigin).pathname;
    let file = path === "/" ? join(dist, "index.html") : join(dist, path);
    let body;
    try {
      body = await readFile(file);
    } catch {
      file = join(dist, "index.html");
      body = await readFile(file);
    }
    res.writeHead(200, { ...swa.globalHeaders, "Content-Type": types[extname(file)] ?? "application/octet-stream" }).end(body);
  });
  await new Promise((r) => apiServer.listen(apiPort, "127.0.0.1", r));
  await new Promise((r) => webServer.listen(webPort, "127.0.0.1", r));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close().catch(() => {});
  apiServer?.close();
  webServer?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** Fakes the tenant's endpoints in the page: OpenID metadata, authorize (straight back with a code), token, logout. */
async function fakeEntra(page) {
  const seen = { authorize: [], token: [] };
  await page.route(`${AUTHORITY_HOST}/**`, async (route) => {
    const url = new URL(route.request().url());
    const base = `${AUTHORITY_HOST}/${TENANT}`;
    const json = (body, status = 200) =>
      route.fulfill({ status, contentType: "application/json", headers: { "Access-Control-Allow-Origin": "*" }, body: JSON.stringify(body) });
    if (url.pathname.endsWith("/.well-known/openid-configuration")) {
      return json({
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`, token_endpoint: `${base}/oauth2/v2.0/token`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`, issuer: `${base}/v2.0`, jwks_uri: `${base}/discovery/v2.0/keys`,
      });
    }
    if (url.pathname.endsWith("/authorize")) {
      seen.authorize.push(url);
      const params = new URLSearchParams({ code: "the-code", state: url.searchParams.get("state") ?? "", client_info: b64url({ uid: "u1", utid: TENANT }) });
      const back = url.searchParams.get("response_mode") === "query" ? `${webOrigin}/?${params}` : `${webOrigin}/#${params}`;
      return route.fulfill({ status: 302, headers: { Location: back } });
    }
    if (url.pathname.endsWith("/token")) {
      const form = new URLSearchParams(route.request().postData() ?? "");
      seen.token.push(form);
      const nonce = seen.authorize.at(-1)?.searchParams.get("nonce") ?? "";
      const now = Math.floor(Date.now() / 1000);
      const idToken = `${b64url({ alg: "none", typ: "JWT" })}.${b64url({
        aud: CLIENT_ID, iss: `${base}/v2.0`, iat: now, nbf: now, exp: now + 3600, nonce, oid: "u1", sub: "u1", tid: TENANT,
        preferred_username: "ada@example.com", name: "Ada Entra",
      })}.`;
      return json({
        token_type: "Bearer", scope: SCOPE, expires_in: 3600, ext_expires_in: 3600, access_token: ACCESS_TOKEN,
        refresh_token: "entra-refresh-token", id_token: idToken, client_info: b64url({ uid: "u1", utid: TENANT }),
      });
    }
    if (url.pathname.endsWith("/logout")) return route.fulfill({ status: 302, headers: { Location: `${webOrigin}/` } });
    return route.fulfill({ status: 404, body: "" });
  });
  return seen;
}

test("a deployed web app signs in with Microsoft Entra and calls the API on its own origin", async (t) => {
  const page = await browser.newPage();
  const cspViolations = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to connect/i.test(m.text())) cspViolations.push(m.text());
  });
  const requested = [];
  page.on("request", (r) => requested.push(r.url()));
  const entra = await fakeEntra(page);

  await t.test("password pages say Microsoft manages passwords", async () => {
    await page.goto(`${webOrigin}/forgot-password`);
    await page.getByText("Passwords are managed by Microsoft").waitFor();
    await page.goto(`${webOrigin}/signup`);
    await page.getByRole("button", { name: "Sign in with Microsoft" }).waitFor();
    assert.ok(requested.some((u) => /\/assets\/msal-[^/]*\.js$/.test(u)), "entra mode loads the MSAL chunk");
  });

  await t.test("a protected page sends the visitor to sign in, and Microsoft sends them back to it", async () => {
    await page.goto(`${webOrigin}/profile`);
    await page.waitForURL(/\/login\?next=%2Fprofile/);
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await page.waitForURL((u) => u.pathname === "/profile", { timeout: 20_000 });
    await page.getByRole("button", { name: "Account menu" }).waitFor();
    await page.waitForFunction(() => document.querySelector("input[value='Ada Entra']") !== null); // /api/me, shown

    const authorize = entra.authorize.at(-1);
    assert.equal(authorize.searchParams.get("client_id"), CLIENT_ID);
    assert.equal(authorize.searchParams.get("redirect_uri"), webOrigin);
    assert.ok(authorize.searchParams.get("scope").split(" ").includes(SCOPE));
    assert.equal(authorize.searchParams.get("code_challenge_method"), "S256");
    const token = entra.token.at(-1);
    assert.equal(token.get("grant_type"), "authorization_code");
    assert.ok(token.get("code_verifier"), "the code is redeemed with its PKCE verifier");

    const me = apiCalls.filter((c) => c.url === "/api/me");
    assert.ok(me.length > 0 && me.every((c) => c.auth === `Bearer ${ACCESS_TOKEN}` && c.origin === webOrigin));
  });

  await t.test("a reload stays signed in, and logging out signs out", async () => {
    const authorizeBefore = entra.authorize.length;
    await page.reload();
    await page.getByRole("button", { name: "Account menu" }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/profile");
    assert.equal(entra.authorize.length, authorizeBefore, "the reload used MSAL's cache, not another sign-in");

    await page.getByRole("button", { name: "Account menu" }).click();
    await page.getByRole("menuitem", { name: /Log out/i }).click();
    await page.getByRole("link", { name: "Log in" }).first().waitFor({ timeout: 20_000 });
    // Microsoft's sign-out page leaves the access tokens Entra issued valid: the API was told to refuse them first.
    assert.ok(apiCalls.some((c) => c.url === "/api/me/sign-out-everywhere" && c.auth === `Bearer ${ACCESS_TOKEN}`),
      "signing out called POST /api/me/sign-out-everywhere with the access token");
  });

  assert.deepEqual(cspViolations, [], "the emitted CSP allows every call the app makes");
  await page.close();
});
