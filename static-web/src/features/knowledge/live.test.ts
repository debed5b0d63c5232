import { describe, expect, it } from "vitest";
import type { DocumentFrame, KnowledgeDocument } from "../../api/contract";
import { applyDocumentFrame, isAheadOf, keepNewer, mayBelong, toDocumentFrame, withFrame } from "./live";
import type { DocumentFilters } from "./useDocuments";

const ALL: DocumentFilters = { status: "", tag: "" };

function doc(id: string, overrides: Partial<KnowledgeDocument> = {}): KnowledgeDocument {
  return {
    id,
    fileName: `${id}.txt`,
    title: id,
    contentType: "text/plain",
    size: 100,
    status: "processing",
    stage: "extracting",
    progress: 5,
    chunkCount: 0,
    tokenCount: 0,
    pageCount: 0,
    tags: ["science"],
    category: null,
    error: null,
    summary: "",
    sha256: "abc",
    sourceUrl: null,
    embeddingModel: null,
    stageSeconds: {},
    createdAt: "2025-01-01T00:00:00Z",
    updatedAt: "2025-01-01T00:00:00Z",
    readyAt: null,
    duplicate: null,
    ...overrides,
  };
}

function frame(documentId: string, overrides: Partial<DocumentFrame> = {}): DocumentFrame {
  return {
    type: "document",
    cloneId: "c1",
    documentId,
    status: "processing",
    stage: "embedding",
    progress: 40,
    chunkCount: 3,
    error: null,
    ...overrides,
  };
}

describe("toDocumentFrame", () => {
  it("reads the frame the API pushes", () => {
    const data = { type: "document", cloneId: "c1", documentId: "d1", status: "failed", stage: "extracting", progress: 5, chunkCount: 0, error: "Bad file." };

    expect(toDocumentFrame(data)).toEqual(data);
    expect(toDocumentFrame({ ...data, error: undefined })?.error).toBeNull();
  });

  it("refuses anything else", () => {
    const good = frame("d1");
    expect(toDocumentFrame(null)).toBeNull();
    expect(toDocumentFrame("document")).toBeNull();
    expect(toDocumentFrame({ ...good, type: "delta" })).toBeNull();
    expect(toDocumentFrame({ ...good, documentId: 7 })).toBeNull();
    expect(toDocumentFrame({ ...good, status: "exploded" })).toBeNull();
    expect(toDocumentFrame({ ...good, stage: "guessing" })).toBeNull();
    expect(toDocumentFrame({ ...good, progress: "40" })).toBeNull();
  });
});

describe("applyDocumentFrame", () => {
  it("puts the status, stage, progress, chunk count and error into the row and leaves the rest", () => {
    const items = [doc("d1"), doc("d2", { title: "Kept", tokenCount: 9 })];

    const result = applyDocumentFrame(items, frame("d2", { stage: "indexing", progress: 85, chunkCount: 4 }), ALL);

    expect(result.known).toBe(true);
    expect(result.statusChanged).toBe(false);
    expect(result.items[0]).toBe(items[0]);
    expect(result.items[1]).toEqual({ ...items[1], stage: "indexing", progress: 85, chunkCount: 4 });
    expect(items[1]!.stage).toBe("extracting"); // not mutated
  });

  it("says when the status changed, and carries the error of a failure", () => {
    const items = [doc("d1")];

    const result = applyDocumentFrame(items, frame("d1", { status: "failed", stage: "extracting", progress: 5, chunkCount: 0, error: "The file is empty." }), ALL);

    expect(result.statusChanged).toBe(true);
    expect(result.items[0]).toMatchObject({ status: "failed", error: "The file is empty." });
  });

  it("returns the same list for a frame that changes nothing", () => {
    const items = [doc("d1", { stage: "embedding", progress: 40, chunkCount: 3 })];

    const result = applyDocumentFrame(items, frame("d1"), ALL);

    expect(result.items).toBe(items);
    expect(result.known).toBe(true);
  });

  it("leaves the list alone for a document it does not hold", () => {
    const items = [doc("d1")];

    const result = applyDocumentFrame(items, frame("elsewhere", { status: "ready" }), ALL);

    expect(result).toEqual({ items, known: false, statusChanged: false });
  });

  it("drops a row that no longer passes the status filter", () => {
    const items = [doc("d1"), doc("d2")];

    const result = applyDocumentFrame(items, frame("d1", { status: "ready", stage: "done", progress: 100 }), { status: "processing", tag: "" });

    expect(result.items.map((d) => d.id)).toEqual(["d2"]);
    expect(result.statusChanged).toBe(true);
  });
});

describe("mayBelong", () => {
  it("is true unless the status filter rules the document out", () => {
    expect(mayBelong(frame("d1"), ALL)).toBe(true);
    expect(mayBelong(frame("d1"), { status: "", tag: "anything" })).toBe(true);
    expect(mayBelong(frame("d1", { status: "ready" }), { status: "ready", tag: "" })).toBe(true);
    expect(mayBelong(frame("d1"), { status: "ready", tag: "" })).toBe(false);
  });
});

describe("keepNewer", () => {
  it("keeps the rows a frame updated after the fetch began", () => {
    const current = [doc("d1", { status: "ready", stage: "done", progress: 100 }), doc("d2", { progress: 40 })];
    const fetched = [doc("d1", { status: "processing", progress: 85 }), doc("d2", { progress: 60 }), doc("d3")];
    const touched = new Map([
      ["d1", 1_000],
      ["d2", 500],
    ]);

    const merged = keepNewer(fetched, current, touched, 900);

    expect(merged[0]).toBe(current[0]);
    expect(merged[1]).toBe(fetched[1]);
    expect(merged[2]).toBe(fetched[2]);
  });

  it("is the fetched list itself when no frame came since", () => {
    const fetched = [doc("d1")];

    expect(keepNewer(fetched, [doc("d1", { progress: 1 })], new Map([["d1", 10]]), 20)).toBe(fetched);
    expect(keepNewer(fetched, [], new Map([["d1", 30]]), 20)).toBe(fetched);
  });
});

describe("withFrame", () => {
  it("brings an upload's late answer up to the frames that came before it", () => {
    const uploaded = doc("d1", { status: "uploaded", stage: "queued", progress: 0 });
    const ready = withFrame(uploaded, frame("d1", { status: "ready", stage: "done", progress: 100, chunkCount: 4 }));
    expect(ready).toMatchObject({ status: "ready", stage: "done", progress: 100, chunkCount: 4, fileName: "d1.txt" });
  });

  it("keeps a record that is as far along as the frame, or further", () => {
    const fetched = doc("d1", { status: "ready", stage: "done", progress: 100, tokenCount: 812 });
    expect(withFrame(fetched, frame("d1", { status: "processing", progress: 85 }))).toBe(fetched);
    const sameStep = doc("d1", { progress: 40 });
    expect(withFrame(sameStep, frame("d1", { progress: 40 }))).toBe(sameStep);
  });

  it("ignores another document's frame and no frame at all", () => {
    const record = doc("d1", { status: "uploaded", progress: 0 });
    expect(withFrame(record, frame("d2", { status: "ready", progress: 100 }))).toBe(record);
    expect(withFrame(record, undefined)).toBe(record);
  });

  it("orders statuses uploaded < processing (by progress) < ready and failed", () => {
    expect(isAheadOf(frame("d1", { status: "processing", progress: 5 }), { status: "uploaded", progress: 0 })).toBe(true);
    expect(isAheadOf(frame("d1", { status: "processing", progress: 50 }), { status: "processing", progress: 20 })).toBe(true);
    expect(isAheadOf(frame("d1", { status: "failed", progress: 20 }), { status: "processing", progress: 30 })).toBe(true);
    expect(isAheadOf(frame("d1", { status: "processing", progress: 10 }), { status: "ready", progress: 100 })).toBe(false);
  });
});
