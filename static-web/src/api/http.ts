// The HTTP core of the app: JSON in and out, the bearer token of tokens.ts with one refresh retry on 401, the API's
// base URL (base.ts), and RFC 7807 problem+json errors turned into ApiError. Paths are the API's ("/api/...").
import { apiUrl } from "./base";
import { bearerToken, refreshAfterUnauthorized } from "./tokens";

export type FieldErrors = Record<string, string[]>;

export interface Problem {
  status: number;
  title: string;
  detail: string;
  errors: FieldErrors;
}

/** An HTTP error from the API (or the network) in the shape of an RFC 7807 problem. */
export class ApiError extends Error implements Problem {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldErrors;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = "ApiError";
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors;
  }

  /** Messages for one field; keys are matched without regard to case ("persona.greeting" = "Persona.Greeting"). */
  field(key: string): string[] {
    return fieldMessages(this.errors, key);
  }
}

export function fieldMessages(errors: FieldErrors | undefined, key: string): string[] {
  if (!errors) return [];
  const wanted = key.toLowerCase();
  const out: string[] = [];
  for (const [k, v] of Object.entries(errors)) {
    if (k.toLowerCase() === wanted) out.push(...v);
  }
  return out;
}

/** The error of a call that never got an answer. */
export function networkError(): ApiError {
  return new ApiError({ status: 0, title: "Can't reach CloneAI", detail: "Check your connection and try again.", errors: {} });
}

const STATUS_TITLES: Record<number, string> = {
  400: "Some fields need attention",
  401: "You need to log in",
  403: "Not allowed",
  404: "Not found",
  409: "Conflict",
  413: "Too large",
  415: "Unsupported file type",
  423: "Account locked",
  429: "Too many requests",
  500: "Something went wrong",
  502: "The server is unavailable",
  503: "The server is unavailable",
  504: "The server took too long",
};

function asStringArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((x): x is string => typeof x === "string");
  if (typeof value === "string") return [value];
  return [];
}

/** Turns any response body into a Problem. Never throws. */
export function parseProblem(status: number, body: unknown): Problem {
  const fallbackTitle = STATUS_TITLES[status] ?? `Request failed (${status})`;
  if (body === null || typeof body !== "object") {
    return { status, title: fallbackTitle, detail: "", errors: {} };
  }
  const raw = body as Record<string, unknown>;
  const errors: FieldErrors = {};
  if (raw.errors && typeof raw.errors === "object" && !Array.isArray(raw.errors)) {
    for (const [key, value] of Object.entries(raw.errors as Record<string, unknown>)) {
      const messages = asStringArray(value);
      if (messages.length > 0) errors[key] = messages;
    }
  }
  return {
    status: typeof raw.status === "number" ? raw.status : status,
    title: typeof raw.title === "string" && raw.title ? raw.title : fallbackTitle,
    detail: typeof raw.detail === "string" ? raw.detail : "",
    errors,
  };
}

/** A JSON body (or the text, when it is not JSON); undefined for an empty body. */
export function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  return parseBody(await response.text());
}

/** The ApiError for a response that is not a success, read from its problem+json body. */
export async function problemOf(response: Response): Promise<ApiError> {
  return new ApiError(parseProblem(response.status, await readBody(response)));
}

const JSON_ACCEPT = "application/json, application/problem+json";

// ---------------------------------------------------------------------------------------------
// Requests by path

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  /** Query string parameters; undefined, null and "" are left out. */
  query?: Record<string, string | number | undefined | null>;
  /** Leave out the Authorization header and the refresh retry (login, signup...). */
  anonymous?: boolean;
  signal?: AbortSignal;
  /** The Accept header; JSON and problem+json by default. */
  accept?: string;
}

function buildUrl(path: string, query?: RequestOptions["query"]): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** A request's init with its headers as a plain record (so that the token can be added to a copy). */
export type ApiInit = Omit<RequestInit, "headers"> & { headers: Record<string, string> };

/**
 * Sends `init` to apiUrl(path) with the bearer token (none when `anonymous`) and, unless anonymous, one refresh and resend
 * on 401 (the init is sent again as it is: its body must be reusable). Resolves with whatever response came; a network
 * failure becomes ApiError (status 0), an abort stays an AbortError.
 */
export async function sendToApi(path: string, init: ApiInit, anonymous = false): Promise<Response> {
  const once = async () => {
    const access = anonymous ? null : await bearerToken();
    const headers = { ...init.headers };
    if (access) headers.Authorization = `Bearer ${access}`;
    return fetch(apiUrl(path), { ...init, headers });
  };
  try {
    const response = await once();
    if (response.status === 401 && !anonymous && (await refreshAfterUnauthorized())) return await once();
    return response;
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    if (error instanceof ApiError) throw error; // from the token source
    throw networkError();
  }
}

function initOf(options: RequestOptions): ApiInit {
  const headers: Record<string, string> = { Accept: options.accept ?? JSON_ACCEPT };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body; // the browser sets the multipart boundary
  } else if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  const init: ApiInit = { method: options.method ?? "GET", headers };
  if (body !== undefined) init.body = body;
  if (options.signal) init.signal = options.signal;
  return init;
}

/**
 * Sends a request with the token (one refresh retry on 401) and resolves with the response when it is a success; throws
 * ApiError otherwise (the problem read from the body). For bodies that are not JSON: streams, downloads.
 */
export async function requestResponse(path: string, options: RequestOptions = {}): Promise<Response> {
  const response = await sendToApi(buildUrl(path, options.query), initOf(options), options.anonymous);
  if (!response.ok) throw await problemOf(response);
  return response;
}

/** Sends a request; resolves with the parsed JSON body or throws ApiError. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await requestResponse(path, options);
  return (await readBody(response)) as T;
}

/** The file name in a Content-Disposition header (filename*=UTF-8''... wins over filename=...), or null. */
export function dispositionFileName(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ""));
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
  const name = (plain?.[2] ?? plain?.[1] ?? "").trim();
  return name || null;
}

export interface Download {
  blob: Blob;
  /** From Content-Disposition, else the fallback. */
  fileName: string;
}

/** A short sentence for any thrown value, for error banners. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const title = error.title.replace(/[.!]+$/, "");
    return error.detail && error.detail !== error.title ? `${title}. ${error.detail}` : `${title}.`;
  }
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
