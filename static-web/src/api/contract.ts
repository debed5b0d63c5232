// The API's shapes, as the generated schema.d.ts has them (npm run generate:api): the names the app uses for
// components["schemas"] and for operations' query parameters, the lists the forms offer, and the few shapes that are not
// HTTP bodies (realtime frames, the paging every list shares).
import type { components, operations } from "./schema";

export type Schemas = components["schemas"];
type QueryOf<Operation extends keyof operations> = NonNullable<operations[Operation]["parameters"]["query"]>;

// Accounts
export type AppConfig = Schemas["ClientConfig"];
export type AuthMode = AppConfig["authMode"];
export type EntraConfig = Schemas["EntraClient"];
export type Tokens = Schemas["TokenPair"];
export type SignupResult = Schemas["SignUpAccepted"];
export type Me = Schemas["User"];
export type ProfileUpdate = Schemas["UpdateProfileRequest"];
export type Health = Schemas["Health"];

// Clones
export type Category = Schemas["Category"];
export type Clone = Schemas["Clone"];
export type Persona = Schemas["Persona"];
export type Pricing = Schemas["Pricing"];
export type CloneStatus = Clone["status"];
export type Tone = Persona["tone"];
export type AnswerLength = Persona["answerLength"];
export type Currency = Pricing["currency"];
/** What the editor sends: a new clone (name and category required) or a change to one. */
export type CloneInput = Schemas["CreateCloneRequest"] | Schemas["UpdateCloneRequest"];
export type CloneQuery = QueryOf<"SearchClones">;

export const TONES = ["friendly", "professional", "casual", "academic", "playful", "direct"] as const satisfies readonly Tone[];
export const ANSWER_LENGTHS = ["short", "medium", "long"] as const satisfies readonly AnswerLength[];
export const CURRENCIES = ["USD", "EUR", "GBP", "CAD", "AUD", "JPY", "INR"] as const satisfies readonly Currency[];
/** The marketplace's orders ("relevance" is the API's own for a text search). */
export const SORTS = ["popular", "rating", "newest", "price"] as const satisfies readonly NonNullable<CloneQuery["sort"]>[];
export type Sort = (typeof SORTS)[number];

/** A page of a list read with continuation tokens (ClonePage, DocumentPage, SessionPage). */
export interface Page<T> {
  items: T[];
  continuationToken: string | null;
}

// Knowledge
export type KnowledgeDocument = Schemas["Document"];
export type DocumentStatus = KnowledgeDocument["status"];
export type DocumentQuery = QueryOf<"ListDocuments">;
export type DocumentUpdate = Schemas["UpdateDocumentRequest"];
export type BulkAction = Schemas["BulkDocumentsRequest"]["action"];
export type BulkResult = Schemas["BulkResult"];
export type DocumentText = Schemas["DocumentTextSlice"];
export type KnowledgeStats = Schemas["KnowledgeStats"];
export type Passage = Schemas["KnowledgeSearchHit"];
export type SearchResult = Schemas["KnowledgeSearchResult"];
export type SearchMode = SearchResult["mode"];

export const DOCUMENT_STATUSES = ["uploaded", "processing", "ready", "failed"] as const satisfies readonly DocumentStatus[];
export const SEARCH_MODES = ["hybrid", "keyword", "vector"] as const satisfies readonly SearchMode[];
export type IngestionStage = KnowledgeDocument["stage"];
/** The steps of an ingestion, in order (Document.stage). */
export const INGESTION_STAGES = ["queued", "extracting", "chunking", "embedding", "indexing", "summarizing", "done"] as const satisfies readonly IngestionStage[];

// Chat
export type ChatSession = Schemas["Session"];
export type SessionStatus = ChatSession["status"];
export type EndReason = NonNullable<ChatSession["endReason"]>;
export type SessionMessage = Schemas["Message"];
export type MessageRole = SessionMessage["role"];
export type SessionDetail = Schemas["SessionWithMessages"];
export type Citation = Schemas["Citation"];
export type SessionRecap = Schemas["SessionSummary"];
export type SessionRecapPending = Schemas["SummaryPending"];
export type Money = Schemas["Money"];
export type TokenUsage = Schemas["TokenUsage"];
export type AnswerKind = NonNullable<SessionMessage["answerKind"]>;
export type MessageInput = Schemas["PostMessageRequest"];
export type RatingInput = Schemas["RateSessionRequest"];
export type ExportFormat = NonNullable<QueryOf<"ExportSession">["format"]>;
export type StartFrame = Schemas["StartFrame"];
export type DeltaFrame = Schemas["DeltaFrame"];
export type EndFrame = Schemas["EndFrame"];
export type ErrorFrame = Schemas["ErrorFrame"];
/** The frames of one streamed answer (server-sent events on POST .../messages, and the session's realtime group). */
export type ChatFrame = StartFrame | DeltaFrame | EndFrame | ErrorFrame;

// Realtime
export type RealtimeNegotiation = Schemas["RealtimeNegotiation"];

/**
 * Ingestion progress pushed to the owner's realtime group `user-{ownerId}` as each stage is stored. A realtime frame, not
 * an HTTP body, so it is not in the OpenAPI document.
 */
export interface DocumentFrame {
  type: "document";
  cloneId: string;
  documentId: string;
  status: DocumentStatus;
  stage: IngestionStage;
  progress: number;
  chunkCount: number;
  error: string | null;
}

// Statements and invoices
export type InvoiceSummary = Schemas["InvoiceSummary"];
export type InvoiceDetail = Schemas["InvoiceDetail"];
export type InvoiceLine = Schemas["InvoiceLine"];
