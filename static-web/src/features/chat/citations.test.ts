import { describe, expect, it } from "vitest";
import type { Citation } from "../../api/contract";
import { citationLabel, citedSources, highlightRanges, onePerDocument, sourceWindow, splitAtRange, splitCitations, withQuotes, type TextPart } from "./citations";

function cite(n: number, extra: Partial<Citation> = {}): Citation {
  return { n, documentId: `doc-${n}`, fileName: `file-${n}.txt`, title: `Title ${n}`, start: n * 100, end: n * 100 + 50, page: null, snippet: "", quotes: [], passages: [], ...extra };
}

const CITATIONS = [cite(1), cite(2), cite(3)];

/** The parts written back as text, chips as [n]. */
function join(parts: TextPart[]): string {
  return parts.map((p) => (p.kind === "text" ? p.text : `[${p.n}]`)).join("");
}

describe("splitCitations", () => {
  it("turns [n] markers into chips between text pieces", () => {
    const parts = splitCitations("Tides follow the Moon [1]. The Sun helps too [2].", CITATIONS);
    expect(parts.map((p) => (p.kind === "text" ? p.text : p.n))).toEqual(["Tides follow the Moon ", 1, ". The Sun helps too ", 2, "."]);
    const chip = parts[1];
    expect(chip?.kind === "cite" && chip.citation.documentId).toBe("doc-1");
  });

  it("handles markers back to back, at the start and at the end", () => {
    expect(splitCitations("[1][3] both", CITATIONS).map((p) => p.kind)).toEqual(["cite", "cite", "text"]);
    expect(splitCitations("end [2]", CITATIONS).map((p) => p.kind)).toEqual(["text", "cite"]);
  });

  it("reads lists such as [1, 3] as one chip per number", () => {
    const parts = splitCitations("See [1, 3].", CITATIONS);
    expect(parts.filter((p) => p.kind === "cite").map((p) => (p.kind === "cite" ? p.n : 0))).toEqual([1, 3]);
    expect(join(parts)).toBe("See [1][3].");
  });

  it("leaves unknown numbers, other brackets and half-arrived markers as text", () => {
    for (const text of ["footnote [9] here", "a [list] of [x]", "arriving [1", "[] and [123]", "[1, 9] mixed"]) {
      const parts = splitCitations(text, CITATIONS);
      expect(parts).toEqual([{ kind: "text", text }]);
    }
  });

  it("keeps every character of the text", () => {
    const text = "A [1] b [4] c [2]d[3]\n<b>markup</b> stays text";
    expect(join(splitCitations(text, CITATIONS))).toBe(text);
  });

  it("gives plain text when there are no citations, and nothing for no text", () => {
    expect(splitCitations("Answer [1]", [])).toEqual([{ kind: "text", text: "Answer [1]" }]);
    expect(splitCitations("", CITATIONS)).toEqual([]);
  });
});

describe("citedSources", () => {
  it("lists the cited sources once each, in the answer's source order", () => {
    expect(citedSources("b [3] a [1] again [3]", CITATIONS).map((c) => c.n)).toEqual([1, 3]);
    expect(citedSources("no markers", CITATIONS)).toEqual([]);
  });

  it("lists chips in number order, one per document (the lowest number stands for it)", () => {
    const twice = [cite(3), cite(2, { documentId: "doc-1" }), cite(1)];
    expect(citedSources("a [3] b [2] c [1]", twice).map((c) => c.n)).toEqual([1, 3]);
    expect(citedSources("b [2] only", twice).map((c) => c.n)).toEqual([2]);
    expect(onePerDocument(twice).map((c) => c.n)).toEqual([1, 3]);
  });
});

describe("quotes", () => {
  it("highlights the quotes, or the whole range when there are none", () => {
    expect(highlightRanges(cite(1, { quotes: [{ start: 105, end: 120 }, { start: 130, end: 140 }] }))).toEqual([
      { start: 105, end: 120 },
      { start: 130, end: 140 },
    ]);
    expect(highlightRanges(cite(1))).toEqual([{ start: 100, end: 150 }]);
  });

  it("gives a citation without quotes (or with broken ones) a clean list", () => {
    const old = { ...cite(1) } as Partial<Citation>;
    delete old.quotes;
    expect(withQuotes(old as Citation).quotes).toEqual([]);
    expect(withQuotes(cite(1, { quotes: [{ start: 5, end: 5 }, { start: 1, end: 4 }] })).quotes).toEqual([{ start: 1, end: 4 }]);
  });
});

describe("citationLabel", () => {
  it("prefers the title, then the file name, and adds the page", () => {
    expect(citationLabel({ title: "Tides", fileName: "tides.txt", page: 4 })).toBe("Tides, p. 4");
    expect(citationLabel({ title: " ", fileName: "tides.txt", page: null })).toBe("tides.txt");
  });
});

describe("source ranges", () => {
  it("asks 600 characters either side, never before 0", () => {
    expect(sourceWindow({ start: 1000, end: 1200 })).toEqual({ start: 400, end: 1800 });
    expect(sourceWindow({ start: 100, end: 300 })).toEqual({ start: 0, end: 900 });
  });

  it("reads at most one API read's worth when the quotes are far apart", () => {
    expect(sourceWindow({ start: 1000, end: 50_000 })).toEqual({ start: 400, end: 20_400 });
  });

  it("cuts the loaded text at the cited range, by offsets into the whole document", () => {
    // The slice starts at character 400 of the document; the citation covers [410, 415).
    const text = "0123456789HELLO world";
    expect(splitAtRange(text, 400, 410, 415)).toEqual({ before: "0123456789", marked: "HELLO", after: " world" });
    // Ranges reaching outside the slice are clamped to it.
    expect(splitAtRange(text, 400, 390, 405)).toEqual({ before: "", marked: "01234", after: "56789HELLO world" });
    expect(splitAtRange(text, 400, 500, 600)).toEqual({ before: text, marked: "", after: "" });
  });
});
