// The typed API client: openapi-fetch over the paths of the generated schema.d.ts (npm run generate:api), with the same
// rules as http.ts: the API's base URL, the bearer token (one refresh retry on 401), no token for the sign-in routes,
// empty query parameters left out, and RFC 7807 problems thrown as ApiError (network failures too, with status 0).
import createClient, { type Client, type Middleware } from "openapi-fetch";
import { apiBase } from "./base";
import { ApiError, networkError, problemOf } from "./http";
import { bearerToken, refreshAfterUnauthorized } from "./tokens";

/** Routes called without a token, whose 401 means wrong credentials rather than an expired token. */
export function isAnonymousRoute(schemaPath: string): boolean {
  return schemaPath.startsWith("/api/auth/") || schemaPath === "/api/config" || schemaPath === "/api/health";
}

/** Query parameters as http.ts sends them: undefined, null and "" are left out. */
export function serializeQuery(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) value.forEach((v) => params.append(key, String(v)));
    else params.set(key, String(value));
  }
  return params.toString();
}

/** Bearer tokens, and one refresh and resend on 401 (a copy of the request is kept until its answer: a body is read once). */
export function authMiddleware(): Middleware {
  const copies = new Map<string, Request>();
  return {
    async onRequest({ request, schemaPath, id }) {
      if (isAnonymousRoute(schemaPath)) return undefined;
      const access = await bearerToken();
      if (access) request.headers.set("Authorization", `Bearer ${access}`);
      copies.set(id, request.clone());
      return request;
    },
    async onResponse({ response, id }) {
      const copy = copies.get(id);
      copies.delete(id);
      if (response.status !== 401 || !copy || !(await refreshAfterUnauthorized())) return undefined;
      const access = await bearerToken();
      if (access) copy.headers.set("Authorization", `Bearer ${access}`);
      try {
        return await fetch(copy);
      } catch (error) {
        if (error instanceof DOMException && error.name === "AbortError") throw error;
        throw networkError();
      }
    },
    onError({ error, id }) {
      copies.delete(id);
      if (error instanceof ApiError || (error instanceof DOMException && error.name === "AbortError")) return error;
      return networkError();
    },
  };
}

/** Any answer that is not a success is thrown as the ApiError its problem+json body describes. */
export const problemMiddleware: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) throw await problemOf(response);
    return undefined;
  },
};

export interface ApiClientOptions {
  /** The API's base URL; this build's (VITE_API_BASE_URL) by default, "" for the page's origin. */
  baseUrl?: string;
}

/** A typed client for the API's `Paths` (from schema.d.ts). Calls resolve with `{ data, response }` or throw ApiError. */
export function createApiClient<Paths extends {}>(options: ApiClientOptions = {}): Client<Paths> {
  const client = createClient<Paths>({
    baseUrl: options.baseUrl ?? apiBase(),
    // Looked up at each call, so that a test can stand in for it.
    fetch: (request) => fetch(request),
    querySerializer: (query) => serializeQuery(query as Record<string, unknown>),
    headers: { Accept: "application/json, application/problem+json" },
  });
  // Answers go through the middlewares last-first: auth resends a 401 before problems are thrown.
  client.use(problemMiddleware, authMiddleware());
  return client;
}

/** The body of a typed call that succeeded (a failure has already been thrown by problemMiddleware). */
export async function data<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
  const { data: body } = await call;
  return body as T;
}
