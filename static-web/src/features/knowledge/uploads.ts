// Bookkeeping for the upload queue: one entry (and one request) per file, each with its own progress.
import { ApiError, errorMessage } from "../../api/http";
import type { KnowledgeDocument } from "../../api/contract";

export const ACCEPTED_EXTENSIONS = [".pdf", ".docx", ".txt", ".md", ".markdown", ".html", ".htm"] as const;
export const ACCEPT = ACCEPTED_EXTENSIONS.join(",");
/** The API's default limit per file. */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;

export type UploadState = "queued" | "uploading" | "processing" | "done" | "duplicate" | "failed";

export interface UploadItem {
  key: string;
  file: File;
  name: string;
  size: number;
  state: UploadState;
  /** Bytes sent so far. */
  loaded: number;
  /** Bytes to send (the request body, a bit more than the file). */
  total: number;
  error: string | null;
  document: KnowledgeDocument | null;
}

export type UploadAction =
  | { type: "add"; items: UploadItem[] }
  | { type: "start"; key: string }
  | { type: "progress"; key: string; loaded: number; total: number }
  | { type: "succeeded"; key: string; document: KnowledgeDocument | null }
  | { type: "failed"; key: string; error: string }
  | { type: "dismiss"; key: string }
  | { type: "clearFinished" };

let counter = 0;

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? "" : name.slice(dot).toLowerCase();
}

/** Checks a picked file before sending it. Returns a message in words, or null. */
export function checkDocument(file: { name: string; size: number }): string | null {
  if (!(ACCEPTED_EXTENSIONS as readonly string[]).includes(extensionOf(file.name))) {
    return "This type of file isn't supported. Use PDF, Word (.docx), text, Markdown or HTML.";
  }
  if (file.size === 0) return "This file is empty.";
  if (file.size > MAX_DOCUMENT_BYTES) return "This file is larger than 50 MB. Split it into smaller files.";
  return null;
}

/** Queue entries for picked files; files that can't be sent are failed right away. */
export function newUploads(files: File[]): UploadItem[] {
  return files.map((file) => {
    const problem = checkDocument(file);
    return {
      key: `u${++counter}`,
      file,
      name: file.name,
      size: file.size,
      state: problem ? "failed" : "queued",
      loaded: 0,
      total: file.size,
      error: problem,
      document: null,
    };
  });
}

function update(items: UploadItem[], key: string, change: (item: UploadItem) => UploadItem): UploadItem[] {
  return items.map((item) => (item.key === key ? change(item) : item));
}

export function uploadsReducer(items: UploadItem[], action: UploadAction): UploadItem[] {
  switch (action.type) {
    case "add":
      return [...items, ...action.items];
    case "start":
      return update(items, action.key, (item) => ({ ...item, state: "uploading", loaded: 0, error: null }));
    case "progress":
      return update(items, action.key, (item) => {
        if (item.state !== "uploading") return item;
        const total = action.total > 0 ? action.total : item.total;
        const loaded = Math.min(Math.max(action.loaded, item.loaded), total);
        // Every byte is sent: the server is storing the file and will answer soon.
        return { ...item, loaded, total, state: total > 0 && loaded >= total ? "processing" : "uploading" };
      });
    case "succeeded":
      return update(items, action.key, (item) => ({
        ...item,
        state: action.document?.duplicate ? "duplicate" : "done",
        loaded: item.total,
        document: action.document,
        error: null,
      }));
    case "failed":
      return update(items, action.key, (item) => ({ ...item, state: "failed", error: action.error }));
    case "dismiss":
      return items.filter((item) => item.key !== action.key);
    case "clearFinished":
      return items.filter((item) => !isFinished(item));
  }
}

export function isFinished(item: UploadItem): boolean {
  return item.state === "done" || item.state === "duplicate" || item.state === "failed";
}

/** 0–100 for a progress bar. */
export function percent(item: UploadItem): number {
  if (item.state === "done" || item.state === "duplicate" || item.state === "processing") return 100;
  if (item.total <= 0) return 0;
  return Math.round((Math.min(item.loaded, item.total) / item.total) * 100);
}

/** Totals over the queue, for the summary line. */
export function summarize(items: UploadItem[]): { active: number; done: number; duplicates: number; failed: number; percent: number } {
  let active = 0;
  let done = 0;
  let duplicates = 0;
  let failed = 0;
  let loaded = 0;
  let total = 0;
  for (const item of items) {
    if (item.state === "done") done++;
    else if (item.state === "duplicate") duplicates++;
    else if (item.state === "failed") failed++;
    else active++;
    if (item.state !== "failed") {
      total += item.total;
      loaded += item.state === "queued" ? 0 : item.state === "uploading" ? item.loaded : item.total;
    }
  }
  return { active, done, duplicates, failed, percent: total > 0 ? Math.round((loaded / total) * 100) : 0 };
}

/** The words to show next to a file whose upload failed (the field error for the file when there is one). */
export function uploadErrorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const keys = Object.keys(error.errors);
    const forFile = keys.filter((k) => /^files(\[\d+\])?$/i.test(k)).flatMap((k) => error.errors[k] ?? []);
    const messages = forFile.length ? forFile : keys.flatMap((k) => error.errors[k] ?? []);
    if (messages.length) return messages.join(" ");
    if (error.status === 413) return error.detail || "This file is too large to upload.";
    if (error.status === 415) return error.detail || "This type of file isn't supported.";
  }
  return errorMessage(error);
}
