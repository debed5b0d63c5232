// Where the API lives. Built with VITE_API_BASE_URL (the Function App's URL when the web app is a separate Static Web App);
// empty or unset means the same origin as the web app, as on the local host.

/** The base URL without trailing slashes; "" for the same origin. */
export function trimBase(raw: string | undefined): string {
  return (raw ?? "").trim().replace(/\/+$/, "");
}

/** The API's base URL for this build; "" for the same origin. */
export function apiBase(): string {
  return trimBase(import.meta.env.VITE_API_BASE_URL);
}

/**
 * The URL to call for a path of the API ("/api/..."): the path itself on the same origin, else the base plus the path.
 * Anything that is not a site-relative path (an absolute URL, a blob: or data: URL) is returned unchanged.
 */
export function apiUrl(path: string): string {
  const base = apiBase();
  if (!base || !path.startsWith("/") || path.startsWith("//")) return path;
  return base + path;
}
