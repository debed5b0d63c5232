// Live document statuses: the ingestion progress frames the API pushes to the creator's realtime group, merged into the
// Knowledge tab's list, and the rule that keeps a slower poll from undoing a newer frame.
import { DOCUMENT_STATUSES, INGESTION_STAGES, type DocumentFrame, type KnowledgeDocument } from "../../api/contract";
import type { DocumentFilters } from "./useDocuments";

export function matchesFilters(doc: Pick<KnowledgeDocument, "status" | "tags">, filters: DocumentFilters): boolean {
  if (filters.status && doc.status !== filters.status) return false;
  if (filters.tag && !doc.tags.some((t) => t.toLowerCase() === filters.tag.toLowerCase())) return false;
  return true;
}

/** The document frame in a realtime message's data, or null when it is not a well-formed one. */
export function toDocumentFrame(data: unknown): DocumentFrame | null {
  if (typeof data !== "object" || data === null) return null;
  const d = data as Record<string, unknown>;
  if (d.type !== "document" || typeof d.cloneId !== "string" || typeof d.documentId !== "string") return null;
  if (!(DOCUMENT_STATUSES as readonly unknown[]).includes(d.status)) return null;
  if (!(INGESTION_STAGES as readonly unknown[]).includes(d.stage)) return null;
  if (typeof d.progress !== "number" || typeof d.chunkCount !== "number") return null;
  return {
    type: "document",
    cloneId: d.cloneId,
    documentId: d.documentId,
    status: d.status as DocumentFrame["status"],
    stage: d.stage as DocumentFrame["stage"],
    progress: d.progress,
    chunkCount: d.chunkCount,
    error: typeof d.error === "string" ? d.error : null,
  };
}

export interface FrameResult {
  /** The list with the frame applied; the same array when nothing changed. */
  items: KnowledgeDocument[];
  /** Whether the frame's document is in the list (before the frame). */
  known: boolean;
  /** Whether the frame changed the document's status (the stats are stale; a finished document is worth fetching whole). */
  statusChanged: boolean;
}

/**
 * Puts a frame's status, stage, progress, chunk count and error into its document's row. A row that no longer passes the
 * filters leaves the list; a frame for a document not in the list changes nothing (known: false).
 */
export function applyDocumentFrame(items: KnowledgeDocument[], frame: DocumentFrame, filters: DocumentFilters): FrameResult {
  const index = items.findIndex((d) => d.id === frame.documentId);
  if (index < 0) return { items, known: false, statusChanged: false };
  const doc = items[index]!;
  const statusChanged = doc.status !== frame.status;
  if (
    !statusChanged &&
    doc.stage === frame.stage &&
    doc.progress === frame.progress &&
    doc.chunkCount === frame.chunkCount &&
    doc.error === frame.error
  ) {
    return { items, known: true, statusChanged };
  }
  const merged: KnowledgeDocument = {
    ...doc,
    status: frame.status,
    stage: frame.stage,
    progress: frame.progress,
    chunkCount: frame.chunkCount,
    error: frame.error,
  };
  const next = matchesFilters(merged, filters)
    ? items.map((d, i) => (i === index ? merged : d))
    : items.filter((_, i) => i !== index);
  return { items: next, known: true, statusChanged };
}

/**
 * Whether a frame for a document that is not in the list may belong there, so the list is worth fetching again: its status
 * passes the status filter (its tags are not in the frame).
 */
export function mayBelong(frame: DocumentFrame, filters: DocumentFilters): boolean {
  return !filters.status || frame.status === filters.status;
}

/**
 * A fetched list with the rows that a frame updated after the fetch began (`touchedAt` holds when each document last had
 * one) kept as they are: the answer to a request sent before a frame must not put back an older status.
 */
export function keepNewer(
  fetched: KnowledgeDocument[],
  current: KnowledgeDocument[],
  touchedAt: ReadonlyMap<string, number>,
  since: number,
): KnowledgeDocument[] {
  const byId = new Map(current.map((d) => [d.id, d]));
  let changed = false;
  const next = fetched.map((d) => {
    const mine = byId.get(d.id);
    if (!mine || (touchedAt.get(d.id) ?? -Infinity) < since) return d;
    changed = true;
    return mine;
  });
  return changed ? next : fetched;
}

const STATUS_ORDER: Record<DocumentFrame["status"], number> = { uploaded: 0, processing: 1, ready: 2, failed: 2 };

/**
 * Whether a frame is further along than what a document record says: a later status, or the same processing status with
 * more progress. A record that arrives after its frames (the upload's own answer, say) must not put an earlier state back.
 */
export function isAheadOf(frame: DocumentFrame, doc: Pick<KnowledgeDocument, "status" | "progress">): boolean {
  const a = STATUS_ORDER[frame.status];
  const b = STATUS_ORDER[doc.status];
  return a > b || (a === b && frame.status === "processing" && frame.progress > doc.progress);
}

/** The record with a newer frame's status, stage, progress, chunk count and error put in; the record itself otherwise. */
export function withFrame(doc: KnowledgeDocument, frame: DocumentFrame | undefined): KnowledgeDocument {
  if (!frame || frame.documentId !== doc.id || !isAheadOf(frame, doc)) return doc;
  return { ...doc, status: frame.status, stage: frame.stage, progress: frame.progress, chunkCount: frame.chunkCount, error: frame.error };
}
