// Query-term highlighting for search passages, as plain text pieces (rendered with <mark>, never as HTML).

export interface Piece {
  text: string;
  match: boolean;
}

/** The words of a query worth highlighting: runs of letters/digits with at least 2 characters, no repeats, longest first. */
export function queryTerms(query: string): string[] {
  const seen = new Set<string>();
  const terms: string[] = [];
  for (const word of query.split(/[^\p{L}\p{N}]+/u)) {
    if ([...word].length < 2) continue;
    const key = word.toLocaleLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    terms.push(word);
  }
  // Longer terms first, so "photosynthesis" wins over "photo" where both match.
  return terms.sort((a, b) => b.length - a.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Splits `text` into pieces that match one of `terms` (case-insensitive) and pieces that don't. */
export function splitHighlights(text: string, terms: string[]): Piece[] {
  if (!text) return [];
  if (terms.length === 0) return [{ text, match: false }];
  const pattern = new RegExp(`(${terms.map(escapeRegExp).join("|")})`, "giu");
  const pieces: Piece[] = [];
  let last = 0;
  for (const found of text.matchAll(pattern)) {
    const index = found.index ?? 0;
    if (found[0].length === 0) continue;
    if (index > last) pieces.push({ text: text.slice(last, index), match: false });
    pieces.push({ text: found[0], match: true });
    last = index + found[0].length;
  }
  if (last < text.length) pieces.push({ text: text.slice(last), match: false });
  return pieces;
}

/** Both steps at once: the pieces of `text` for the words of `query`. */
export function highlightQuery(text: string, query: string): Piece[] {
  return splitHighlights(text, queryTerms(query));
}
