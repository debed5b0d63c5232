// The API's endpoints, one function each, over the typed client (typed.ts: openapi-fetch on the generated schema.d.ts,
// sent by http.ts with the token and refresh, problems thrown as ApiError) and upload.ts (multipart with progress).
import type {
  BulkAction,
  CloneInput,
  CloneQuery,
  DocumentQuery,
  DocumentUpdate,
  ExportFormat,
  KnowledgeDocument,
  MessageInput,
  ProfileUpdate,
  RatingInput,
  Schemas,
  SearchMode,
} from "./contract";
import { dispositionFileName, type Download } from "./http";
import type { paths } from "./schema";
import { tokenStore } from "./tokens";
import { createApiClient, data } from "./typed";
import { uploadForm, type UploadOptions } from "./upload";

const typed = createApiClient<paths>();

/** A multipart form where the document says `{ file: binary }` (openapi-fetch sends FormData as it is). */
function fileForm(file: Blob): never {
  const form = new FormData();
  form.append("file", file);
  return form as never;
}

const id = (value: string) => ({ path: { id: value } });
const doc = (cloneId: string, docId: string) => ({ path: { id: cloneId, docId } });
const session = (sessionId: string) => ({ path: { sessionId } });
const invoice = (invoiceId: string) => ({ path: { invoiceId } });
/** `signal` only when there is one. */
const abortable = (signal?: AbortSignal) => (signal ? { signal } : {});

export const api = {
  config: () => data(typed.GET("/api/config")),
  health: () => data(typed.GET("/api/health")),

  auth: {
    signup: (input: Schemas["SignUpRequest"]) => data(typed.POST("/api/auth/signup", { body: input })),
    verify: (token: string) => data(typed.POST("/api/auth/verify", { body: { token } })),
    resendVerification: (email: string) => data(typed.POST("/api/auth/verify/resend", { body: { email } })).then(() => undefined),
    login: async (email: string, password: string) => {
      const tokens = await data(typed.POST("/api/auth/login", { body: { email, password } }));
      tokenStore.set(tokens);
      return tokens;
    },
    logout: async () => {
      const refreshToken = tokenStore.refresh;
      tokenStore.clear();
      if (!refreshToken) return;
      try {
        await typed.POST("/api/auth/logout", { body: { refreshToken } });
      } catch {
        // The local session is gone either way.
      }
    },
    forgotPassword: (email: string) => data(typed.POST("/api/auth/password/forgot", { body: { email } })).then(() => undefined),
    resetPassword: (token: string, password: string) =>
      data(typed.POST("/api/auth/password/reset", { body: { token, password } })).then(() => undefined),
  },

  me: {
    get: () => data(typed.GET("/api/me")),
    update: (update: ProfileUpdate) => data(typed.PATCH("/api/me", { body: update })),
    uploadAvatar: (file: Blob) => data(typed.PUT("/api/me/avatar", { body: fileForm(file) })),
    becomeCreator: () => data(typed.POST("/api/me/creator")),
    /** Ends every sign-in of the account (this one too): its access tokens are refused from the next request. */
    signOutEverywhere: () => data(typed.POST("/api/me/sign-out-everywhere")).then(() => undefined),
    clones: (pageSize: number, continuationToken?: string | null) =>
      data(typed.GET("/api/me/clones", { params: { query: { pageSize, continuationToken: continuationToken ?? undefined } } })),
  },

  categories: () => data(typed.GET("/api/categories")),

  clones: {
    search: (query: CloneQuery, signal?: AbortSignal) => data(typed.GET("/api/clones", { params: { query }, ...abortable(signal) })),
    get: (idOrSlug: string) => data(typed.GET("/api/clones/{id}", { params: id(idOrSlug) })),
    create: (input: CloneInput) => data(typed.POST("/api/clones", { body: input as Schemas["CreateCloneRequest"] })),
    update: (cloneId: string, input: CloneInput) => data(typed.PATCH("/api/clones/{id}", { params: id(cloneId), body: input })),
    remove: (cloneId: string) => data(typed.DELETE("/api/clones/{id}", { params: id(cloneId) })).then(() => undefined),
    publish: (cloneId: string) => data(typed.POST("/api/clones/{id}/publish", { params: id(cloneId) })),
    unpublish: (cloneId: string) => data(typed.POST("/api/clones/{id}/unpublish", { params: id(cloneId) })),
    uploadAvatar: (cloneId: string, file: Blob) => data(typed.PUT("/api/clones/{id}/avatar", { params: id(cloneId), body: fileForm(file) })),
  },

  documents: {
    list: (cloneId: string, query: DocumentQuery = {}, signal?: AbortSignal) =>
      data(typed.GET("/api/clones/{id}/documents", { params: { ...id(cloneId), query }, ...abortable(signal) })),
    /** One request per call (send one file to get one progress bar). Tags are comma-separated. */
    upload: (cloneId: string, files: File[], tags: string[] = [], options: UploadOptions = {}) =>
      uploadForm<Schemas["DocumentList"]>(
        documentsPath(cloneId),
        () => {
          const form = new FormData();
          for (const file of files) form.append("files", file, file.name);
          if (tags.length) form.append("tags", tags.join(","));
          return form;
        },
        options,
      ),
    importUrl: (cloneId: string, url: string, tags: string[] = []): Promise<KnowledgeDocument> =>
      data(typed.POST("/api/clones/{id}/documents/import-url", { params: id(cloneId), body: tags.length ? { url, tags } : { url } })),
    get: (cloneId: string, docId: string) => data(typed.GET("/api/clones/{id}/documents/{docId}", { params: doc(cloneId, docId) })),
    update: (cloneId: string, docId: string, update: DocumentUpdate) =>
      data(typed.PATCH("/api/clones/{id}/documents/{docId}", { params: doc(cloneId, docId), body: update })),
    remove: (cloneId: string, docId: string) =>
      data(typed.DELETE("/api/clones/{id}/documents/{docId}", { params: doc(cloneId, docId) })).then(() => undefined),
    reindex: (cloneId: string, docId: string) =>
      data(typed.POST("/api/clones/{id}/documents/{docId}/reindex", { params: doc(cloneId, docId) })),
    bulk: (cloneId: string, action: BulkAction, documentIds: string[], tags?: string[]) =>
      data(
        typed.POST("/api/clones/{id}/documents/bulk", {
          params: id(cloneId),
          body: tags ? { action, documentIds, tags } : { action, documentIds },
        }),
      ),
    /**
     * Extracted text in [start, end) (at most 20,000 characters per call). Both must lie within the text (the API
     * refuses an end past totalLength), so leave `end` out while the length is unknown: the API then sends up to
     * 20,000 characters from `start`.
     */
    text: (cloneId: string, docId: string, start: number, end?: number, signal?: AbortSignal) =>
      data(
        typed.GET("/api/clones/{id}/documents/{docId}/text", { params: { ...doc(cloneId, docId), query: { start, end } }, ...abortable(signal) }),
      ),
  },

  sessions: {
    /** Starts a session with a clone (its pricing is snapshotted). Answers 201 with the session. */
    start: (cloneId: string) => data(typed.POST("/api/clones/{id}/sessions", { params: id(cloneId) })),
    /** My sessions, newest first. */
    list: (pageSize: number, continuationToken?: string | null) =>
      data(typed.GET("/api/sessions", { params: { query: { pageSize, continuationToken: continuationToken ?? undefined } } })),
    get: (sessionId: string, signal?: AbortSignal) =>
      data(typed.GET("/api/sessions/{sessionId}", { params: session(sessionId), ...abortable(signal) })),
    /**
     * Asks, with the answer as server-sent events (see features/chat/sse.ts). Problems found before the first frame
     * (validation, an ended session...) throw ApiError; once streaming, failures arrive as an `error` frame.
     */
    ask: async (sessionId: string, input: MessageInput, signal?: AbortSignal): Promise<Response> => {
      const { response } = await typed.POST("/api/sessions/{sessionId}/messages", {
        params: session(sessionId),
        body: input,
        headers: { Accept: "text/event-stream, application/problem+json" },
        parseAs: "stream",
        ...abortable(signal),
      });
      return response;
    },
    end: (sessionId: string) => data(typed.POST("/api/sessions/{sessionId}/end", { params: session(sessionId) })),
    rate: (sessionId: string, input: RatingInput) =>
      data(typed.POST("/api/sessions/{sessionId}/rating", { params: session(sessionId), body: input })),
    /** The text of a document this session cited, near a cited passage (the API refuses other ranges with 403). */
    sourceText: (sessionId: string, documentId: string, start: number, end?: number, signal?: AbortSignal) =>
      data(
        typed.GET("/api/sessions/{sessionId}/sources/{documentId}/text", {
          params: { path: { sessionId, documentId }, query: { start, end } },
          ...abortable(signal),
        }),
      ),
    /**
     * The ended session's summary: `{ summary }` once written, `{ pending }` (202, with the seconds to wait) while it is being
     * written. A session that gets none (a preview, or ended before its first question) answers 404 (ApiError).
     */
    summary: async (sessionId: string, signal?: AbortSignal) => {
      const { data: body, response } = await typed.GET("/api/sessions/{sessionId}/summary", { params: session(sessionId), ...abortable(signal) });
      return response.status === 202
        ? { pending: body as Schemas["SummaryPending"], summary: null }
        : { pending: null, summary: body as Schemas["SessionSummary"] };
    },
    /** Deletes the session (its messages, summary and memories); an active one is ended first. */
    remove: async (sessionId: string) => {
      await typed.DELETE("/api/sessions/{sessionId}", { params: session(sessionId) });
    },
    /** The transcript as a file, fetched with the token (downloads through a plain link would go without it). */
    export: async (sessionId: string, format: ExportFormat): Promise<Download> => {
      const { data: blob, response } = await typed.GET("/api/sessions/{sessionId}/export", {
        params: { ...session(sessionId), query: { format } },
        headers: { Accept: "*/*" },
        parseAs: "blob",
      });
      const fallback = `cloneai-session-${sessionId.slice(0, 8)}.${format === "json" ? "json" : format === "pdf" ? "pdf" : "md"}`;
      return { blob: blob as Blob, fileName: dispositionFileName(response.headers.get("Content-Disposition")) ?? fallback };
    },
  },

  invoices: {
    /** My monthly statements (or Lago's invoices), newest first. */
    list: () => data(typed.GET("/api/me/invoices")),
    get: (invoiceId: string) => data(typed.GET("/api/me/invoices/{invoiceId}", { params: invoice(invoiceId) })),
    /** The printable page, fetched with the token (a plain link would go without it). */
    html: async (invoiceId: string, signal?: AbortSignal): Promise<string> => {
      const { data: html } = await typed.GET("/api/me/invoices/{invoiceId}/html", {
        params: invoice(invoiceId),
        headers: { Accept: "text/html" },
        parseAs: "text",
        ...abortable(signal),
      });
      return html as string;
    },
    pdf: async (invoiceId: string): Promise<Download> => {
      const { data: blob, response } = await typed.GET("/api/me/invoices/{invoiceId}/pdf", {
        params: invoice(invoiceId),
        headers: { Accept: "application/pdf" },
        parseAs: "blob",
      });
      return { blob: blob as Blob, fileName: dispositionFileName(response.headers.get("Content-Disposition")) ?? `cloneai-statement-${invoiceId}.pdf` };
    },
  },

  realtime: {
    /** A client URL for the realtime hub; with `sessionId` (one of yours) its token may also join `session-{id}`. */
    negotiate: (sessionId?: string, signal?: AbortSignal) =>
      data(typed.GET("/api/realtime/negotiate", { params: { query: { sessionId } }, ...abortable(signal) })),
  },

  knowledge: {
    stats: (cloneId: string) => data(typed.GET("/api/clones/{id}/knowledge/stats", { params: id(cloneId) })),
    search: (cloneId: string, q: string, mode: SearchMode = "hybrid", top = 10, signal?: AbortSignal) =>
      data(typed.GET("/api/clones/{id}/knowledge/search", { params: { ...id(cloneId), query: { q, top, mode } }, ...abortable(signal) })),
  },
};

function documentsPath(cloneId: string): string {
  return `/api/clones/${encodeURIComponent(cloneId)}/documents`;
}

/** The most text one GET .../text call returns. */
export const MAX_TEXT_RANGE = 20_000;
