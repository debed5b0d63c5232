// The one HTTP client of the app: JSON in and out, bearer tokens, one refresh retry on 401,
// and RFC 7807 problem+json errors turned into ApiError. Paths are the API's ("/api/..."), called at apiUrl(path).
import { apiUrl } from "./base";
import type {
  AppConfig,
  BulkAction,
  BulkResult,
  Category,
  ChatSession,
  Clone,
  CloneInput,
  CloneQuery,
  DocumentQuery,
  DocumentText,
  DocumentUpdate,
  ExportFormat,
  Health,
  KnowledgeDocument,
  KnowledgeStats,
  Me,
  MessageInput,
  Page,
  ProfileUpdate,
  RatingInput,
  RealtimeNegotiation,
  SearchMode,
  SearchResult,
  SessionDetail,
  SignupResult,
  Tokens,
} from "./types";

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

// ---------------------------------------------------------------------------------------------
// Token storage

const ACCESS_KEY = "cloneai.accessToken";
const REFRESH_KEY = "cloneai.refreshToken";

function storage(): Storage | null {
  try {
    return typeof globalThis.localStorage === "undefined" ? null : globalThis.localStorage;
  } catch {
    return null;
  }
}

export const tokenStore = {
  get access(): string | null {
    return storage()?.getItem(ACCESS_KEY) ?? null;
  },
  get refresh(): string | null {
    return storage()?.getItem(REFRESH_KEY) ?? null;
  },
  set(tokens: Pick<Tokens, "accessToken" | "refreshToken">): void {
    const s = storage();
    s?.setItem(ACCESS_KEY, tokens.accessToken);
    s?.setItem(REFRESH_KEY, tokens.refreshToken);
  },
  clear(): void {
    const s = storage();
    s?.removeItem(ACCESS_KEY);
    s?.removeItem(REFRESH_KEY);
  },
};

/**
 * Where bearer tokens come from when they are not the local host's own: in entra mode, MSAL (features/auth/entra.ts).
 * `accessToken` may leave the page to sign in again, and then never resolves.
 */
export interface TokenSource {
  accessToken(): Promise<string | null>;
}

let tokenSource: TokenSource | null = null;

/** Entra mode hands its token source here; null goes back to the local tokens (tokenStore). */
export function setTokenSource(source: TokenSource | null): void {
  tokenSource = source;
}

/** The token for the next call: from the token source in entra mode, else the stored access token. */
async function bearerToken(): Promise<string | null> {
  return tokenSource ? tokenSource.accessToken() : tokenStore.access;
}

type SessionListener = () => void;
const sessionEndedListeners = new Set<SessionListener>();

/** Called when the tokens stop working (refresh failed): the app drops the signed-in user. */
export function onSessionEnded(listener: SessionListener): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

// ---------------------------------------------------------------------------------------------
// Core request

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

let refreshInFlight: Promise<boolean> | null = null;

async function doRefresh(refreshToken: string): Promise<boolean> {
  try {
    const response = await fetch(apiUrl("/api/auth/refresh"), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ refreshToken }),
    });
    if (!response.ok) return false;
    const tokens = (await response.json()) as Partial<Tokens>;
    if (!tokens.accessToken || !tokens.refreshToken) return false;
    tokenStore.set({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
    return true;
  } catch {
    return false;
  }
}

/** One refresh at a time: concurrent 401s share it (a refresh token may be single-use). */
function refreshTokens(): Promise<boolean> {
  const refreshToken = tokenStore.refresh;
  if (!refreshToken) return Promise.resolve(false);
  refreshInFlight ??= doRefresh(refreshToken).finally(() => {
    refreshInFlight = null;
  });
  return refreshInFlight;
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

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: options.accept ?? "application/json, application/problem+json" };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body; // the browser sets the multipart boundary
  } else if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  const access = options.anonymous ? null : await bearerToken();
  if (access) headers.Authorization = `Bearer ${access}`;
  const init: RequestInit = { method: options.method ?? "GET", headers };
  if (body !== undefined) init.body = body;
  if (options.signal) init.signal = options.signal;
  return fetch(apiUrl(buildUrl(path, options.query)), init);
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Sends a request with the token (one refresh retry on 401) and resolves with the response when it is a success; throws
 * ApiError otherwise (the problem read from the body). For bodies that are not JSON: streams, downloads.
 */
export async function requestResponse(path: string, options: RequestOptions = {}): Promise<Response> {
  let response: Response;
  try {
    response = await send(path, options);
    if (response.status === 401 && !options.anonymous && !tokenSource && tokenStore.refresh) {
      if (await refreshTokens()) {
        response = await send(path, options);
      } else {
        tokenStore.clear();
        sessionEndedListeners.forEach((listener) => listener());
      }
    }
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    if (error instanceof ApiError) throw error; // from the token source
    throw new ApiError({
      status: 0,
      title: "Can't reach CloneAI",
      detail: "Check your connection and try again.",
      errors: {},
    });
  }
  if (!response.ok) throw new ApiError(parseProblem(response.status, await readBody(response)));
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

/** GETs a file with the token (downloads through a plain link would go without it). */
export async function download(path: string, fallbackName: string, query?: RequestOptions["query"]): Promise<Download> {
  const response = await requestResponse(path, { accept: "*/*", ...(query ? { query } : {}) });
  const blob = await response.blob();
  return { blob, fileName: dispositionFileName(response.headers.get("Content-Disposition")) ?? fallbackName };
}

// ---------------------------------------------------------------------------------------------
// Uploads with progress (fetch has no upload progress events, XMLHttpRequest does)

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadOptions {
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

async function sendXhr(path: string, form: FormData, options: UploadOptions): Promise<{ status: number; body: unknown }> {
  const access = await bearerToken();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", apiUrl(path));
    xhr.setRequestHeader("Accept", "application/json, application/problem+json");
    if (access) xhr.setRequestHeader("Authorization", `Bearer ${access}`);
    const onAbort = () => xhr.abort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => options.signal?.removeEventListener("abort", onAbort);
    if (options.onProgress) {
      const report = options.onProgress;
      xhr.upload.addEventListener("progress", (event) => {
        report({ loaded: event.loaded, total: event.lengthComputable ? event.total : 0 });
      });
    }
    xhr.addEventListener("load", () => {
      done();
      let body: unknown = undefined;
      const text = typeof xhr.responseText === "string" ? xhr.responseText : "";
      if (text) {
        try {
          body = JSON.parse(text) as unknown;
        } catch {
          body = text;
        }
      }
      resolve({ status: xhr.status, body });
    });
    xhr.addEventListener("error", () => {
      done();
      reject(new ApiError({ status: 0, title: "Can't reach CloneAI", detail: "Check your connection and try again.", errors: {} }));
    });
    xhr.addEventListener("abort", () => {
      done();
      reject(new DOMException("The upload was cancelled.", "AbortError"));
    });
    if (options.signal?.aborted) {
      xhr.abort();
      return;
    }
    xhr.send(form);
  });
}

/**
 * POSTs multipart form data with upload progress events; the same bearer token, one refresh retry on 401
 * and problem+json errors as `request`. `makeForm` is called again for the retry.
 */
export async function uploadForm<T>(path: string, makeForm: () => FormData, options: UploadOptions = {}): Promise<T> {
  let result = await sendXhr(path, makeForm(), options);
  if (result.status === 401 && !tokenSource && tokenStore.refresh) {
    if (await refreshTokens()) {
      result = await sendXhr(path, makeForm(), options);
    } else {
      tokenStore.clear();
      sessionEndedListeners.forEach((listener) => listener());
    }
  }
  if (result.status < 200 || result.status >= 300) throw new ApiError(parseProblem(result.status, result.body));
  return result.body as T;
}

// ---------------------------------------------------------------------------------------------
// Endpoints

export const api = {
  config: () => request<AppConfig>("/api/config", { anonymous: true }),
  health: () => request<Health>("/api/health", { anonymous: true }),

  auth: {
    signup: (input: { email: string; password: string; displayName: string }) =>
      request<SignupResult>("/api/auth/signup", { method: "POST", body: input, anonymous: true }),
    verify: (token: string) =>
      request<{ verified: boolean; email: string }>("/api/auth/verify", {
        method: "POST",
        body: { token },
        anonymous: true,
      }),
    resendVerification: (email: string) =>
      request<void>("/api/auth/verify/resend", { method: "POST", body: { email }, anonymous: true }),
    login: async (email: string, password: string) => {
      const tokens = await request<Tokens>("/api/auth/login", {
        method: "POST",
        body: { email, password },
        anonymous: true,
      });
      tokenStore.set(tokens);
      return tokens;
    },
    logout: async () => {
      const refreshToken = tokenStore.refresh;
      tokenStore.clear();
      if (!refreshToken) return;
      try {
        await request<void>("/api/auth/logout", { method: "POST", body: { refreshToken }, anonymous: true });
      } catch {
        // The local session is gone either way.
      }
    },
    forgotPassword: (email: string) =>
      request<void>("/api/auth/password/forgot", { method: "POST", body: { email }, anonymous: true }),
    resetPassword: (token: string, password: string) =>
      request<void>("/api/auth/password/reset", { method: "POST", body: { token, password }, anonymous: true }),
  },

  me: {
    get: () => request<Me>("/api/me"),
    update: (update: ProfileUpdate) => request<Me>("/api/me", { method: "PATCH", body: update }),
    uploadAvatar: (file: Blob) => {
      const form = new FormData();
      form.append("file", file);
      return request<Me>("/api/me/avatar", { method: "PUT", body: form });
    },
    becomeCreator: () => request<Me>("/api/me/creator", { method: "POST" }),
    clones: (pageSize: number, continuationToken?: string | null) =>
      request<Page<Clone>>("/api/me/clones", { query: { pageSize, continuationToken } }),
  },

  categories: () => request<Category[]>("/api/categories", { anonymous: true }),

  clones: {
    search: (query: CloneQuery, signal?: AbortSignal) =>
      request<Page<Clone>>("/api/clones", { query: { ...query }, ...(signal ? { signal } : {}) }),
    get: (idOrSlug: string) => request<Clone>(`/api/clones/${encodeURIComponent(idOrSlug)}`),
    create: (input: CloneInput) => request<Clone>("/api/clones", { method: "POST", body: input }),
    update: (id: string, input: CloneInput) =>
      request<Clone>(`/api/clones/${encodeURIComponent(id)}`, { method: "PATCH", body: input }),
    remove: (id: string) => request<void>(`/api/clones/${encodeURIComponent(id)}`, { method: "DELETE" }),
    publish: (id: string) => request<Clone>(`/api/clones/${encodeURIComponent(id)}/publish`, { method: "POST" }),
    unpublish: (id: string) => request<Clone>(`/api/clones/${encodeURIComponent(id)}/unpublish`, { method: "POST" }),
    uploadAvatar: (id: string, file: Blob) => {
      const form = new FormData();
      form.append("file", file);
      return request<Clone>(`/api/clones/${encodeURIComponent(id)}/avatar`, { method: "PUT", body: form });
    },
  },

  documents: {
    list: (cloneId: string, query: DocumentQuery = {}, signal?: AbortSignal) =>
      request<Page<KnowledgeDocument>>(documentsPath(cloneId), { query: { ...query }, ...(signal ? { signal } : {}) }),
    /** One request per call (send one file to get one progress bar). Tags are comma-separated. */
    upload: (cloneId: string, files: File[], tags: string[] = [], options: UploadOptions = {}) =>
      uploadForm<{ items: KnowledgeDocument[] }>(
        documentsPath(cloneId),
        () => {
          const form = new FormData();
          for (const file of files) form.append("files", file, file.name);
          if (tags.length) form.append("tags", tags.join(","));
          return form;
        },
        options,
      ),
    importUrl: (cloneId: string, url: string, tags: string[] = []) =>
      request<KnowledgeDocument>(`${documentsPath(cloneId)}/import-url`, {
        method: "POST",
        body: tags.length ? { url, tags } : { url },
      }),
    get: (cloneId: string, docId: string) => request<KnowledgeDocument>(documentPath(cloneId, docId)),
    update: (cloneId: string, docId: string, update: DocumentUpdate) =>
      request<KnowledgeDocument>(documentPath(cloneId, docId), { method: "PATCH", body: update }),
    remove: (cloneId: string, docId: string) => request<void>(documentPath(cloneId, docId), { method: "DELETE" }),
    reindex: (cloneId: string, docId: string) =>
      request<KnowledgeDocument>(`${documentPath(cloneId, docId)}/reindex`, { method: "POST" }),
    bulk: (cloneId: string, action: BulkAction, documentIds: string[], tags?: string[]) =>
      request<BulkResult>(`${documentsPath(cloneId)}/bulk`, {
        method: "POST",
        body: tags ? { action, documentIds, tags } : { action, documentIds },
      }),
    /**
     * Extracted text in [start, end) (at most 20,000 characters per call). Both must lie within the text (the API
     * refuses an end past totalLength), so leave `end` out while the length is unknown: the API then sends up to
     * 20,000 characters from `start`.
     */
    text: (cloneId: string, docId: string, start: number, end?: number, signal?: AbortSignal) =>
      request<DocumentText>(`${documentPath(cloneId, docId)}/text`, { query: { start, end }, ...(signal ? { signal } : {}) }),
  },

  sessions: {
    /** Starts a session with a clone (its pricing is snapshotted). Answers 201 with the session. */
    start: (cloneId: string) => request<ChatSession>(`/api/clones/${encodeURIComponent(cloneId)}/sessions`, { method: "POST" }),
    /** My sessions, newest first. */
    list: (pageSize: number, continuationToken?: string | null) =>
      request<Page<ChatSession>>("/api/sessions", { query: { pageSize, continuationToken } }),
    get: (id: string, signal?: AbortSignal) => request<SessionDetail>(sessionPath(id), signal ? { signal } : {}),
    /**
     * Asks, with the answer as server-sent events (see features/chat/sse.ts). Problems found before the first frame
     * (validation, an ended session...) throw ApiError; once streaming, failures arrive as an `error` frame.
     */
    ask: (id: string, input: MessageInput, signal?: AbortSignal) =>
      requestResponse(`${sessionPath(id)}/messages`, {
        method: "POST",
        body: input,
        accept: "text/event-stream, application/problem+json",
        ...(signal ? { signal } : {}),
      }),
    end: (id: string) => request<ChatSession>(`${sessionPath(id)}/end`, { method: "POST" }),
    rate: (id: string, input: RatingInput) => request<ChatSession>(`${sessionPath(id)}/rating`, { method: "POST", body: input }),
    /** The text of a document this session cited, near a cited passage (the API refuses other ranges with 403). */
    sourceText: (id: string, documentId: string, start: number, end?: number, signal?: AbortSignal) =>
      request<DocumentText>(`${sessionPath(id)}/sources/${encodeURIComponent(documentId)}/text`, {
        query: { start, end },
        ...(signal ? { signal } : {}),
      }),
    export: (id: string, format: ExportFormat) =>
      download(`${sessionPath(id)}/export`, `cloneai-session-${id.slice(0, 8)}.${format === "json" ? "json" : "md"}`, { format }),
  },

  realtime: {
    /** A client URL for the realtime hub; with `sessionId` (one of yours) its token may also join `session-{id}`. */
    negotiate: (sessionId?: string, signal?: AbortSignal) =>
      request<RealtimeNegotiation>("/api/realtime/negotiate", { query: { sessionId }, ...(signal ? { signal } : {}) }),
  },

  knowledge: {
    stats: (cloneId: string) => request<KnowledgeStats>(`/api/clones/${encodeURIComponent(cloneId)}/knowledge/stats`),
    search: (cloneId: string, q: string, mode: SearchMode = "hybrid", top = 10, signal?: AbortSignal) =>
      request<SearchResult>(`/api/clones/${encodeURIComponent(cloneId)}/knowledge/search`, {
        query: { q, top, mode },
        ...(signal ? { signal } : {}),
      }),
  },
};

function sessionPath(id: string): string {
  return `/api/sessions/${encodeURIComponent(id)}`;
}

function documentsPath(cloneId: string): string {
  return `/api/clones/${encodeURIComponent(cloneId)}/documents`;
}

function documentPath(cloneId: string, docId: string): string {
  return `${documentsPath(cloneId)}/${encodeURIComponent(docId)}`;
}

/** The most text one GET .../text call returns. */
export const MAX_TEXT_RANGE = 20_000;

/** A short sentence for any thrown value, for error banners. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const title = error.title.replace(/[.!]+$/, "");
    return error.detail && error.detail !== error.title ? `${title}. ${error.detail}` : `${title}.`;
  }
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
