// Shapes of the CloneAI HTTP API (JSON, camelCase). Prices are integer minor units.

export type AuthMode = "local" | "entra";

export interface AppConfig {
  authMode: AuthMode;
  version: string;
  features: Record<string, unknown>;
  /** Entra mode: where MSAL signs in (absent in local mode, or while the API's app registration is not set). */
  entra?: EntraConfig;
}

/** The API's Microsoft Entra (External ID) app registration, as GET /api/config describes it to MSAL. */
export interface EntraConfig {
  clientId: string;
  /** `{instance}{tenantId}`, e.g. https://contoso.ciamlogin.com/<tenant id> */
  authority: string;
  /** What to ask for: the API's delegated scope, `api://{clientId}/{scope}`. */
  scopes: string[];
  /** The authority's host, trusted without instance discovery. */
  knownAuthorities: string[];
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface SignupResult {
  id: string;
  email: string;
  displayName: string;
  emailVerified: boolean;
}

export interface Me {
  id: string;
  email: string;
  displayName: string;
  bio: string;
  expertise: string[];
  timezone: string;
  roles: string[];
  isCreator: boolean;
  isAdmin: boolean;
  emailVerified: boolean;
  avatarUrl: string | null;
  createdAt: string;
}

export interface ProfileUpdate {
  displayName?: string;
  bio?: string;
  expertise?: string[];
  timezone?: string;
}

export interface Category {
  id: string;
  name: string;
}

export const TONES = ["friendly", "professional", "casual", "academic", "playful", "direct"] as const;
export type Tone = (typeof TONES)[number];

export const ANSWER_LENGTHS = ["short", "medium", "long"] as const;
export type AnswerLength = (typeof ANSWER_LENGTHS)[number];

export const CURRENCIES = ["USD", "EUR", "GBP", "CAD", "AUD", "JPY", "INR"] as const;
export type Currency = (typeof CURRENCIES)[number];

export type CloneStatus = "draft" | "published";

export interface Persona {
  greeting: string;
  tone: Tone;
  answerLength: AnswerLength;
  instructions: string;
  topicsToAvoid: string[];
  dontKnowMessage: string;
}

export interface Pricing {
  perMinute: number | null;
  perMessage: number | null;
  currency: Currency;
  freeMessages: number;
}

export interface Clone {
  id: string;
  slug: string;
  name: string;
  tagline: string;
  description: string;
  category: string;
  tags: string[];
  status: CloneStatus;
  ownerId: string;
  ownerName: string;
  avatarUrl: string | null;
  persona: Persona;
  pricing: Pricing;
  rating: number;
  ratingCount: number;
  sessionCount: number;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

export interface CloneInput {
  name?: string;
  slug?: string;
  tagline?: string;
  description?: string;
  category?: string;
  tags?: string[];
  persona?: Partial<Persona>;
  pricing?: Partial<Pricing>;
}

export interface Page<T> {
  items: T[];
  continuationToken: string | null;
}

export const SORTS = ["popular", "rating", "newest", "price"] as const;
export type Sort = (typeof SORTS)[number];

export interface CloneQuery {
  q?: string;
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  minRating?: number;
  sort?: Sort;
  pageSize?: number;
  continuationToken?: string;
}

export interface Health {
  status: string;
  version: string;
  store: string;
}

// ---------------------------------------------------------------------------------------------
// Knowledge base (documents a clone answers from)

export const DOCUMENT_STATUSES = ["uploaded", "processing", "ready", "failed"] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const INGESTION_STAGES = ["queued", "extracting", "chunking", "embedding", "indexing", "summarizing", "done"] as const;
export type IngestionStage = (typeof INGESTION_STAGES)[number];

export interface KnowledgeDocument {
  id: string;
  fileName: string;
  title: string;
  contentType: string;
  size: number;
  status: DocumentStatus;
  stage: IngestionStage;
  /** 0–100 over the whole ingestion. */
  progress: number;
  chunkCount: number;
  tokenCount: number;
  pageCount: number;
  tags: string[];
  category: string | null;
  error: string | null;
  summary: string;
  sha256: string;
  sourceUrl: string | null;
  embeddingModel: string | null;
  stageSeconds: Partial<Record<IngestionStage, number>>;
  createdAt: string;
  updatedAt: string;
  readyAt: string | null;
  /** Set on upload answers when the same bytes were already in this clone. */
  duplicate?: boolean;
}

export interface DocumentQuery {
  status?: DocumentStatus;
  tag?: string;
  pageSize?: number;
  continuationToken?: string | null;
}

export interface DocumentUpdate {
  title?: string;
  tags?: string[];
  category?: string;
}

export type BulkAction = "delete" | "reindex" | "tag";

export interface BulkResult {
  succeeded: string[];
  failed: { id: string; error: string }[];
}

export interface DocumentText {
  documentId: string;
  start: number;
  end: number;
  totalLength: number;
  text: string;
  page: number | null;
}

export interface EmbeddingModelInfo {
  model: string;
  dimensions: number;
}

export interface KnowledgeStats {
  documents: number;
  ready: number;
  processing: number;
  failed: number;
  chunks: number;
  tokens: number;
  bytes: number;
  currentModel: EmbeddingModelInfo;
  indexedModels: EmbeddingModelInfo[];
  needsReindex: boolean;
}

export const SEARCH_MODES = ["hybrid", "keyword", "vector"] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

export interface Passage {
  documentId: string;
  fileName: string;
  title: string;
  chunkId: string;
  text: string;
  start: number;
  end: number;
  page: number | null;
  /** "Chapter › Section"; some indexes send the headings as a list. */
  headingPath: string | string[] | null;
  score: number;
}

export interface SearchResult {
  items: Passage[];
  mode: SearchMode;
}

// ---------------------------------------------------------------------------------------------
// Chat sessions (a timed, priced conversation between one user and one clone)

export const SESSION_STATUSES = ["active", "ended"] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export type EndReason = "user" | "idle" | "max-length";

/** How an answer was made: quoted verbatim from the sources, written by the model, or the clone's "I don't know". */
export type AnswerKind = "extractive" | "model" | "dont-know";

export type MessageRole = "user" | "assistant";

/** An amount in minor units (cents) of a currency. */
export interface Money {
  amount: number;
  currency: string;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** A passage an answer cites as `[n]`: the character range [start, end) of a document's extracted text. */
export interface Citation {
  n: number;
  documentId: string;
  fileName: string;
  title: string;
  start: number;
  end: number;
  page: number | null;
  snippet: string;
}

export interface ChatSession {
  id: string;
  cloneId: string;
  cloneName: string;
  cloneSlug: string;
  status: SessionStatus;
  /** The clone's pricing when the session started; later price changes never touch it. */
  pricing: Pricing;
  startedAt: string;
  lastActivityAt: string;
  endedAt: string | null;
  endReason: EndReason | null;
  /** User messages answered so far. */
  messageCount: number;
  usage: TokenUsage;
  /** The running (or final) cost: started minutes plus the messages after the free ones. */
  cost: Money;
  /** Seconds the clock has run, as of the answer. */
  elapsedSeconds: number;
  rating: number | null;
  ratingComment: string | null;
}

export interface SessionMessage {
  id: string;
  role: MessageRole;
  content: string;
  citations: Citation[];
  usage: TokenUsage | null;
  /** What an assistant message cost (zero when free). */
  cost: Money | null;
  answerKind: AnswerKind | null;
  clientMessageId: string | null;
  createdAt: string;
}

export interface SessionDetail {
  session: ChatSession;
  messages: SessionMessage[];
}

export interface MessageInput {
  content: string;
  /** A key of the client's choosing (a UUID); a retry with the same key is answered once and billed once. */
  clientMessageId: string;
}

export interface RatingInput {
  stars: number;
  comment?: string;
}

export type ExportFormat = "markdown" | "json";

/** The frames of one streamed answer (server-sent events on POST .../messages, and the session's realtime group). */
export interface StartFrame {
  type: "start";
  sessionId: string;
  messageId: string;
  citations: Citation[];
  answerKind: AnswerKind;
}

export interface DeltaFrame {
  type: "delta";
  sessionId: string;
  messageId: string;
  text: string;
}

export interface EndFrame {
  type: "end";
  sessionId: string;
  messageId: string;
  usage: TokenUsage;
  /** The session's running cost after this answer. */
  cost: Money;
  elapsedSeconds: number;
}

export interface ErrorFrame {
  type: "error";
  sessionId: string;
  messageId: string;
  detail: string;
}

export type ChatFrame = StartFrame | DeltaFrame | EndFrame | ErrorFrame;

/** GET /api/realtime/negotiate: a client URL (token included) for the realtime hub and the groups that token may join. */
export interface RealtimeNegotiation {
  /** wss://…/client/hubs/cloneai?access_token=… (ws:// on the local host). */
  url: string;
  baseUrl: string;
  accessToken: string;
  /** ISO 8601; the token is refused for new connections after this. */
  expiresAt: string;
  groups: string[];
}

/** Ingestion progress pushed to the owner's realtime group `user-{ownerId}` as each stage is stored. */
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
