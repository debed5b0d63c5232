import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/http";
import type { KnowledgeDocument } from "../../api/contract";
import { checkDocument, newUploads, percent, summarize, uploadErrorMessage, uploadsReducer, type UploadItem } from "./uploads";

function file(name: string, size: number): File {
  return new File([new Uint8Array(size)], name);
}

const doc = (extra: Partial<KnowledgeDocument> = {}) => ({ id: "d1", fileName: "a.txt", ...extra }) as KnowledgeDocument;

describe("checkDocument", () => {
  it("accepts the supported extensions in any case", () => {
    for (const name of ["a.pdf", "b.DOCX", "c.txt", "d.md", "e.markdown", "f.html", "g.HTM"]) {
      expect(checkDocument({ name, size: 10 })).toBeNull();
    }
  });

  it("refuses other types, empty files and files over 50 MB in words", () => {
    expect(checkDocument({ name: "virus.exe", size: 10 })).toMatch(/isn't supported/);
    expect(checkDocument({ name: "noext", size: 10 })).toMatch(/isn't supported/);
    expect(checkDocument({ name: "a.txt", size: 0 })).toMatch(/empty/);
    expect(checkDocument({ name: "a.pdf", size: 50 * 1024 * 1024 + 1 })).toMatch(/50 MB/);
  });
});

describe("uploadsReducer", () => {
  it("queues good files and fails bad ones at once", () => {
    const items = newUploads([file("a.txt", 100), file("b.exe", 5)]);
    expect(items.map((i) => [i.name, i.state])).toEqual([
      ["a.txt", "queued"],
      ["b.exe", "failed"],
    ]);
    expect(items[0]!.key).not.toBe(items[1]!.key);
    expect(items[1]!.error).toMatch(/isn't supported/);
  });

  it("tracks each file's progress on its own", () => {
    let items: UploadItem[] = uploadsReducer([], { type: "add", items: newUploads([file("a.txt", 100), file("b.md", 100)]) });
    const [a, b] = items.map((i) => i.key) as [string, string];
    items = uploadsReducer(items, { type: "start", key: a });
    items = uploadsReducer(items, { type: "start", key: b });
    items = uploadsReducer(items, { type: "progress", key: a, loaded: 50, total: 200 });
    items = uploadsReducer(items, { type: "progress", key: b, loaded: 20, total: 200 });
    expect(items.map(percent)).toEqual([25, 10]);
    // Progress never goes backwards, and never beyond the total.
    items = uploadsReducer(items, { type: "progress", key: a, loaded: 10, total: 200 });
    expect(percent(items[0]!)).toBe(25);
    items = uploadsReducer(items, { type: "progress", key: b, loaded: 999, total: 200 });
    expect(items[1]!.state).toBe("processing");
    expect(percent(items[1]!)).toBe(100);
    expect(summarize(items)).toMatchObject({ active: 2, done: 0, failed: 0, percent: 63 });
  });

  it("keeps the known total when the browser can't compute one", () => {
    let items = newUploads([file("a.txt", 100)]);
    const key = items[0]!.key;
    items = uploadsReducer(items, { type: "start", key });
    items = uploadsReducer(items, { type: "progress", key, loaded: 40, total: 0 });
    expect(percent(items[0]!)).toBe(40);
  });

  it("marks duplicates, failures and clears finished entries", () => {
    let items = newUploads([file("a.txt", 10), file("b.txt", 10), file("c.txt", 10), file("d.txt", 10)]);
    const [a, b, c] = items.map((i) => i.key) as [string, string, string];
    items = uploadsReducer(items, { type: "succeeded", key: a, document: doc() });
    items = uploadsReducer(items, { type: "succeeded", key: b, document: doc({ duplicate: true }) });
    items = uploadsReducer(items, { type: "failed", key: c, error: "Nope." });
    expect(items.map((i) => i.state)).toEqual(["done", "duplicate", "failed", "queued"]);
    expect(summarize(items)).toMatchObject({ active: 1, done: 1, duplicates: 1, failed: 1 });
    expect(percent(items[0]!)).toBe(100);
    items = uploadsReducer(items, { type: "clearFinished" });
    expect(items.map((i) => i.name)).toEqual(["d.txt"]);
    items = uploadsReducer(items, { type: "dismiss", key: items[0]!.key });
    expect(items).toEqual([]);
  });

  it("ignores progress for an entry that is no longer uploading", () => {
    let items = newUploads([file("a.txt", 10)]);
    const key = items[0]!.key;
    items = uploadsReducer(items, { type: "failed", key, error: "x" });
    expect(uploadsReducer(items, { type: "progress", key, loaded: 5, total: 10 })[0]!.state).toBe("failed");
  });
});

describe("uploadErrorMessage", () => {
  it("uses the per-file field error", () => {
    const error = new ApiError({ status: 400, title: "Validation failed", detail: "x", errors: { "files[0]": ["virus.exe: not a supported type."] } });
    expect(uploadErrorMessage(error)).toBe("virus.exe: not a supported type.");
  });

  it("falls back to the problem's words", () => {
    expect(uploadErrorMessage(new ApiError({ status: 413, title: "Too large", detail: "Files can be up to 50 MB.", errors: {} }))).toBe(
      "Files can be up to 50 MB.",
    );
    expect(uploadErrorMessage(new ApiError({ status: 500, title: "Something went wrong", detail: "", errors: {} }))).toBe(
      "Something went wrong.",
    );
  });
});
