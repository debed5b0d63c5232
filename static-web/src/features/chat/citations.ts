// `[n]` markers in an answer's text, as pieces to render: plain text, or a chip for the citation numbered n.
// Always text pieces, never HTML.
import { MAX_TEXT_RANGE } from "../../api/client";
import type { Citation } from "../../api/contract";

export type TextPart = { kind: "text"; text: string } | { kind: "cite"; n: number; citation: Citation };

/** `[1]`, `[12]`, and lists such as `[1, 3]`. */
const MARKER = /\[(\d{1,2}(?:\s*,\s*\d{1,2})*)\]/g;

function numbersIn(group: string): number[] {
  return group.split(",").map((n) => Number(n.trim()));
}

/**
 * Splits `text` at its citation markers. A marker becomes chips only when every number in it is one of `citations`;
 * any other bracketed number (a footnote the document itself had, a marker still arriving) stays text. Joining the
 * text pieces and `[n]` for each chip gives back the text (lists come back as `[1][3]`).
 */
export function splitCitations(text: string, citations: readonly Citation[]): TextPart[] {
  if (!text) return [];
  const byNumber = new Map(citations.map((c) => [c.n, c]));
  const parts: TextPart[] = [];
  const pushText = (piece: string) => {
    if (!piece) return;
    const last = parts[parts.length - 1];
    if (last?.kind === "text") last.text += piece;
    else parts.push({ kind: "text", text: piece });
  };
  let from = 0;
  for (const found of text.matchAll(MARKER)) {
    const index = found.index ?? 0;
    const numbers = numbersIn(found[1] ?? "");
    const cited = numbers.map((n) => byNumber.get(n));
    if (cited.some((c) => c === undefined)) continue; // left as text
    pushText(text.slice(from, index));
    for (const citation of cited) parts.push({ kind: "cite", n: citation!.n, citation: citation! });
    from = index + found[0].length;
  }
  pushText(text.slice(from));
  return parts;
}

/**
 * The chips under an answer: the citations whose markers appear in `text`, in number order, one per document (an older
 * answer may cite one document under several numbers: its lowest number stands for it).
 */
export function citedSources(text: string, citations: readonly Citation[]): Citation[] {
  const used = new Set<number>();
  for (const part of splitCitations(text, citations)) if (part.kind === "cite") used.add(part.n);
  return onePerDocument(citations.filter((c) => used.has(c.n)));
}

/** Citations in number order, the first of each document only. */
export function onePerDocument(citations: readonly Citation[]): Citation[] {
  const seen = new Set<string>();
  return [...citations]
    .sort((a, b) => a.n - b.n)
    .filter((c) => {
      if (seen.has(c.documentId)) return false;
      seen.add(c.documentId);
      return true;
    });
}

/** A citation as the app uses it: `quotes` always a list (answers stored before quotes existed have none). */
export function withQuotes(citation: Citation): Citation {
  const quotes = Array.isArray(citation.quotes)
    ? citation.quotes.filter((q) => q && Number.isFinite(q.start) && Number.isFinite(q.end) && q.end > q.start)
    : [];
  return { ...citation, quotes };
}

/** The ranges the viewer highlights: the quoted sentences, or the whole cited range when the citation has no quotes. */
export function highlightRanges(citation: Pick<Citation, "start" | "end" | "quotes">): { start: number; end: number }[] {
  return citation.quotes.length > 0 ? citation.quotes.map((q) => ({ start: q.start, end: q.end })) : [{ start: citation.start, end: citation.end }];
}

/** "Tides (tides.txt), p. 2" style label parts for a citation chip. */
export function citationLabel(citation: Pick<Citation, "title" | "fileName" | "page">): string {
  const name = citation.title?.trim() || citation.fileName?.trim() || "Source";
  return citation.page ? `${name}, p. ${citation.page}` : name;
}

/** Where the viewer asks for text: 600 characters either side of the cited range, never before 0. */
export const SOURCE_CONTEXT_CHARS = 600;

/**
 * The range the viewer reads: the citation's range (which covers all its quotes) with 600 characters either side, never
 * before 0 and never longer than one read; a longer one keeps its start.
 */
export function sourceWindow(citation: Pick<Citation, "start" | "end">): { start: number; end: number } {
  const start = Math.max(0, citation.start - SOURCE_CONTEXT_CHARS);
  const end = Math.max(citation.end, 0) + SOURCE_CONTEXT_CHARS;
  return { start, end: Math.min(end, start + MAX_TEXT_RANGE) };
}

/** The loaded text cut around the cited range [start, end); offsets are into the whole document, the slice starts at `sliceStart`. */
export function splitAtRange(
  text: string,
  sliceStart: number,
  start: number,
  end: number,
): { before: string; marked: string; after: string } {
  const from = Math.max(0, Math.min(text.length, start - sliceStart));
  const to = Math.max(from, Math.min(text.length, end - sliceStart));
  return { before: text.slice(0, from), marked: text.slice(from, to), after: text.slice(to) };
}
