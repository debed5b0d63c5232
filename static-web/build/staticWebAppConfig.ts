// The Static Web App's config for a build whose API is on another origin (VITE_API_BASE_URL): the Content-Security-Policy's
// connect-src lets the page call the API, upload to Blob Storage with SAS URLs, open the realtime hub's WebSocket on Web
// PubSub and let MSAL talk to Microsoft Entra.
// vite.config.ts writes it to dist/ in place of the copy of public/staticwebapp.config.json.

/**
 * What the page reaches besides the API: Entra's authorities (workforce and External ID) for MSAL, Blob Storage for browser
 * uploads, and Web PubSub's client endpoint for the realtime hub (the URL /api/realtime/negotiate returns).
 */
export const EXTRA_CONNECT_SOURCES = [
  "https://login.microsoftonline.com",
  "https://*.ciamlogin.com",
  "https://*.blob.core.windows.net",
  "wss://*.webpubsub.azure.com",
] as const;

/** The origin of the API's base URL; throws on anything but an absolute http(s) URL. */
export function apiOrigin(apiBaseUrl: string): string {
  let url: URL;
  try {
    url = new URL(apiBaseUrl.trim());
  } catch {
    throw new Error(`VITE_API_BASE_URL must be an absolute URL such as https://func-api-xyz.azurewebsites.net, not '${apiBaseUrl}'.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`VITE_API_BASE_URL must be an http(s) URL, not '${apiBaseUrl}'.`);
  }
  return url.origin;
}

/**
 * The policy with `sources` added to connect-src (created after default-src when missing), each once, the other
 * directives as they were. An empty `apiBaseUrl` (the same origin) returns the policy unchanged.
 */
export function contentSecurityPolicy(policy: string, apiBaseUrl: string): string {
  if (!apiBaseUrl.trim()) return policy;
  const sources = [apiOrigin(apiBaseUrl), ...EXTRA_CONNECT_SOURCES];
  const directives = policy
    .split(";")
    .map((d) => d.trim())
    .filter((d) => d.length > 0);
  const index = directives.findIndex((d) => d.split(/\s+/)[0]?.toLowerCase() === "connect-src");
  if (index === -1) {
    const after = directives.findIndex((d) => d.split(/\s+/)[0]?.toLowerCase() === "default-src");
    directives.splice(after + 1, 0, ["connect-src", "'self'", ...sources].join(" "));
  } else {
    const [name, ...existing] = directives[index]!.split(/\s+/);
    const merged = [...existing];
    for (const source of sources) if (!merged.includes(source)) merged.push(source);
    directives[index] = [name, ...merged].join(" ");
  }
  return directives.join("; ");
}

interface StaticWebAppConfig {
  globalHeaders?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * The text of staticwebapp.config.json for a build against `apiBaseUrl`: the same file with the CSP's connect-src widened.
 * An empty `apiBaseUrl` returns the text untouched.
 */
export function staticWebAppConfig(text: string, apiBaseUrl: string): string {
  if (!apiBaseUrl.trim()) return text;
  const config = JSON.parse(text) as StaticWebAppConfig;
  const headers = config.globalHeaders ?? {};
  const key = Object.keys(headers).find((k) => k.toLowerCase() === "content-security-policy") ?? "Content-Security-Policy";
  headers[key] = contentSecurityPolicy(headers[key] ?? "default-src 'self'", apiBaseUrl);
  config.globalHeaders = headers;
  return JSON.stringify(config, null, 2) + "\n";
}
