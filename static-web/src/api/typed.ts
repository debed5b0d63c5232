// The typed API client: openapi-fetch over the paths of the generated schema.d.ts (npm run generate:api), sent the way
// http.ts sends: to apiUrl(path) (the base URL is read at each call), with the bearer token and one refresh and resend on
// 401 (sendToApi; no token for the sign-in routes), empty query parameters left out, and RFC 7807 problems thrown as
// ApiError by problemMiddleware (network failures too, with status 0).
import createClient, { type Client, type Middleware } from "openapi-fetch";
import { problemOf, sendToApi, type ApiInit } from "./http";

/** openapi-fetch builds absolute URLs; paths on this origin are built on it and sent as paths again (see toApiCall). */
const SAME_ORIGIN = "http://cloneai.invalid";

/** Routes called without a token, whose 401 means wrong credentials rather than an expired token. */
export function isAnonymousRoute(path: string): boolean {
  return path.startsWith("/api/auth/") || path === "/api/config" || path === "/api/health" || path === "/api/categories";
}

/** Query parameters as http.ts sends them: undefined, null and "" are left out; arrays repeat the name. */
export function serializeQuery(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) value.forEach((v) => params.append(key, String(v)));
    else params.set(key, String(value));
  }
  return params.toString();
}

/** "content-type" → "Content-Type", as http.ts names its headers. */
function headerName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

/**
 * The path and init of the Request openapi-fetch built, for sendToApi: a body that can be sent twice (text for JSON and
 * text, FormData for multipart, whose boundary the browser sets again, else a Blob).
 */
export async function toApiCall(request: Request): Promise<{ path: string; init: ApiInit }> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[headerName(name)] = value;
  });
  const init: ApiInit = { method: request.method, headers, signal: request.signal };
  if (request.method !== "GET" && request.method !== "HEAD" && request.body) {
    const type = request.headers.get("Content-Type") ?? "";
    if (type.startsWith("multipart/form-data")) {
      init.body = await request.formData();
      delete headers["Content-Type"];
    } else if (type.includes("json") || type.startsWith("text/")) {
      init.body = await request.text();
    } else {
      init.body = await request.blob();
    }
  }
  return { path: url.origin === SAME_ORIGIN ? url.pathname + url.search : url.href, init };
}

/** Any answer that is not a success is thrown as the ApiError its problem+json body describes. */
export const problemMiddleware: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) throw await problemOf(response);
    return undefined;
  },
};

/** A typed client for the API's `Paths` (from schema.d.ts). Calls resolve with `{ data, response }` or throw ApiError. */
export function createApiClient<Paths extends {}>(): Client<Paths> {
  const client = createClient<Paths>({
    baseUrl: SAME_ORIGIN,
    fetch: async (request) => {
      const { path, init } = await toApiCall(request);
      return sendToApi(path, init, isAnonymousRoute(new URL(request.url).pathname));
    },
    querySerializer: (query) => serializeQuery(query as Record<string, unknown>),
    headers: { Accept: "application/json, application/problem+json" },
  });
  client.use(problemMiddleware);
  return client;
}

/** The body of a typed call that succeeded (a failure has already been thrown by problemMiddleware). */
export async function data<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
  const { data: body } = await call;
  return body as T;
}
