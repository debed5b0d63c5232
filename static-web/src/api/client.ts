// The API's endpoints, one function each, over http.ts (JSON, tokens, problems) and upload.ts (multipart with progress).
import { download, request, requestResponse } from "./http";
import { tokenStore } from "./tokens";
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
import { uploadForm, type UploadOptions } from "./upload";

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
