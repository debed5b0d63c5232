// A small Markdown reader for document text shown in the viewers: headings, emphasis, code spans, bulleted and numbered
// lists, block quotes, rules and paragraphs, with hard-wrapped lines joined. It builds data, never HTML: every piece of
// text stays text (links, images and tags are shown as written), and every piece keeps the range of the original text it
// came from, so ranges of the original (a quoted sentence, a passage) can be highlighted exactly: the highlighted
// characters are the characters of the range minus the Markdown syntax.

/** A range [start, end) of a document's text. */
export interface TextRange {
  start: number;
  end: number;
}

/** Text in one style. `start`/`end` are offsets into the whole document ([start, end) of the original characters shown). */
export interface InlineRun {
  text: string;
  start: number;
  end: number;
  strong: boolean;
  em: boolean;
  code: boolean;
  /** The highlight this text is in: its index among the highlights in order of start (see `normalizeRanges`), or null. */
  highlight: number | null;
}

export interface ListItem {
  runs: InlineRun[];
  start: number;
  end: number;
  /** 0 for a top-level item, 1 for one indented under it... */
  depth: number;
  ordered: boolean;
  /** The number written before an ordered item ("3." is 3); null for a bullet. */
  number: number | null;
}

export type MarkdownBlock =
  | { kind: "heading"; level: 1 | 2 | 3 | 4 | 5 | 6; runs: InlineRun[]; start: number; end: number }
  | { kind: "paragraph"; runs: InlineRun[]; start: number; end: number }
  | { kind: "quote"; runs: InlineRun[]; start: number; end: number }
  /** A fenced code block: its lines as written, joined with "\n". */
  | { kind: "code"; runs: InlineRun[]; start: number; end: number }
  | { kind: "list"; ordered: boolean; items: ListItem[]; start: number; end: number }
  | { kind: "rule"; start: number; end: number };

export interface MarkdownOptions {
  /**
   * Whether the text starts at the start of a line. By default it does when `sliceStart` is 0: a slice cut out of a document
   * further on may start mid-line, and such a first line is read as the rest of a paragraph (a "#" there is not a heading).
   */
  atLineStart?: boolean;
}

/** The ranges sorted by start, without empty ones: the order `InlineRun.highlight` counts in. */
export function normalizeRanges(ranges: readonly TextRange[]): TextRange[] {
  return ranges
    .filter((r) => Number.isFinite(r.start) && Number.isFinite(r.end) && r.end > r.start)
    .map((r) => ({ start: r.start, end: r.end }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
}

/** A piece of one line that holds content: [from, to) in the slice. */
interface Segment {
  from: number;
  to: number;
}

interface Line {
  from: number;
  /** The end of the line's text, before its line break. */
  to: number;
}

/** The lines of `text`: breaks are "\n", "\r\n" or "\r". */
function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      lines.push({ from, to: i });
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      from = i + 1;
    }
  }
  lines.push({ from, to: text.length });
  return lines;
}

const isSpace = (c: string | undefined) => c === " " || c === "\t";

/** [from, to) without the whitespace at either end. */
function trimmed(text: string, from: number, to: number): Segment {
  while (from < to && /\s/.test(text[from]!)) from++;
  while (to > from && /\s/.test(text[to - 1]!)) to--;
  return { from, to };
}

/** Columns of leading indentation (a tab counts 4). */
function indentOf(text: string, line: Line): number {
  let columns = 0;
  for (let i = line.from; i < line.to && isSpace(text[i]); i++) columns += text[i] === "\t" ? 4 - (columns % 4) : 1;
  return columns;
}

const ATX = /^ {0,3}(#{1,6})(?=[ \t]|$)/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const ITEM = /^([ \t]*)([-*+]|(\d{1,9})[.)])(?=[ \t]|$)[ \t]*/;
const QUOTE = /^ {0,3}> ?/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

type Open =
  | { kind: "paragraph"; segments: Segment[]; start: number; end: number }
  | { kind: "code"; fence: string; segments: Segment[]; start: number; end: number }
  | { kind: "quote"; segments: Segment[]; start: number; end: number }
  | {
      kind: "list";
      ordered: boolean;
      items: { segments: Segment[]; start: number; end: number; depth: number; ordered: boolean; number: number | null }[];
      indents: number[];
      start: number;
      end: number;
      blankAfter: boolean;
    };

/**
 * Reads `text`, a slice of a document that starts at offset `sliceStart` of it, into blocks of inline runs. `highlights`
 * are ranges of the whole document; each run says which one (if any) its characters are in.
 */
export function parseMarkdown(
  text: string,
  sliceStart = 0,
  highlights: readonly TextRange[] = [],
  options: MarkdownOptions = {},
): MarkdownBlock[] {
  const ranges = normalizeRanges(highlights);
  const atLineStart = options.atLineStart ?? sliceStart === 0;
  const blocks: MarkdownBlock[] = [];
  const inline = (segments: Segment[]) => inlineRuns(text, segments, sliceStart, ranges);
  let open: Open | null = null;

  const close = () => {
    if (!open) return;
    const start = sliceStart + open.start;
    const end = sliceStart + open.end;
    if (open.kind === "list") {
      const items = open.items.map((item) => ({
        runs: inline(item.segments),
        start: sliceStart + item.start,
        end: sliceStart + item.end,
        depth: item.depth,
        ordered: item.ordered,
        number: item.number,
      }));
      blocks.push({ kind: "list", ordered: open.items[0]?.ordered ?? false, items, start, end });
    } else if (open.kind === "code") {
      blocks.push({ kind: "code", runs: inlineRuns(text, open.segments, sliceStart, ranges, true), start, end });
    } else {
      blocks.push({ kind: open.kind, runs: inline(open.segments), start, end });
    }
    open = null;
  };

  const lines = splitLines(text);
  lines.forEach((line, index) => {
    const raw = text.slice(line.from, line.to);
    const content = trimmed(text, line.from, line.to);
    const blank = content.from === content.to;

    // Inside a fenced code block every line is code until the closing fence.
    const inFence: Open | null = open;
    if (inFence?.kind === "code") {
      const fence = FENCE.exec(raw);
      if (fence && fence[1]![0] === inFence.fence[0] && fence[1]!.length >= inFence.fence.length && raw.slice(fence[0].length).trim() === "") {
        inFence.end = line.to;
        close();
      } else {
        inFence.segments.push({ from: line.from, to: line.to });
        inFence.end = line.to;
      }
      return;
    }

    if (index === 0 && !atLineStart) {
      // The rest of a line cut off at its start: part of a paragraph whatever it looks like.
      if (!blank) open = { kind: "paragraph", segments: [content], start: line.from, end: line.to };
      return;
    }

    if (blank) {
      if (open?.kind === "list") open.blankAfter = true;
      else close();
      return;
    }

    // A line of = or - under a paragraph makes it a heading.
    const setext = SETEXT.exec(raw);
    if (setext && open?.kind === "paragraph") {
      const paragraph: Open = open;
      open = null;
      blocks.push({
        kind: "heading",
        level: setext[1]!.startsWith("=") ? 1 : 2,
        runs: inline(paragraph.segments),
        start: sliceStart + paragraph.start,
        end: sliceStart + line.to,
      });
      return;
    }

    const fence = FENCE.exec(raw);
    if (fence && !(fence[1]![0] === "`" && raw.slice(fence[0].length).includes("`"))) {
      close();
      open = { kind: "code", fence: fence[1]!, segments: [], start: line.from, end: line.to };
      return;
    }

    if (RULE.test(raw)) {
      close();
      blocks.push({ kind: "rule", start: sliceStart + line.from, end: sliceStart + line.to });
      return;
    }

    const atx = ATX.exec(raw);
    if (atx) {
      close();
      const from = line.from + atx[0].length;
      let to = line.to;
      // An optional closing run of #s, after a space.
      const closing = /(?:^|[ \t])#+[ \t]*$/.exec(text.slice(from, to));
      if (closing) to = from + closing.index;
      const segment = trimmed(text, from, to);
      blocks.push({
        kind: "heading",
        level: atx[1]!.length as 1 | 2 | 3 | 4 | 5 | 6,
        runs: inline(segment.from < segment.to ? [segment] : []),
        start: sliceStart + line.from,
        end: sliceStart + line.to,
      });
      return;
    }

    const item = ITEM.exec(raw);
    // A numbered line interrupts a paragraph only as "1." (so a wrapped line starting "1969. The..." stays text).
    if (item && !(open?.kind === "paragraph" && item[3] !== undefined && Number(item[3]) !== 1)) {
      const ordered = item[3] !== undefined;
      const indent = indentOf(text, line);
      let list = open?.kind === "list" ? open : null;
      if (list) {
        while (list.indents.length > 0 && list.indents[list.indents.length - 1]! >= indent) list.indents.pop();
        // A top-level item of the other kind starts a new list.
        if (list.indents.length === 0 && list.items[0] && list.items[0].ordered !== ordered) {
          close();
          list = null;
        }
      }
      if (!list) {
        close();
        list = { kind: "list", ordered, items: [], indents: [], start: line.from, end: line.to, blankAfter: false };
        open = list;
      }
      const depth = list.indents.length;
      list.indents.push(indent);
      const body = trimmed(text, line.from + item[0].length, line.to);
      list.items.push({
        segments: body.from < body.to ? [body] : [],
        start: line.from,
        end: line.to,
        depth,
        ordered,
        number: ordered ? Number(item[3]) : null,
      });
      list.end = line.to;
      list.blankAfter = false;
      return;
    }

    const quote = QUOTE.exec(raw);
    if (quote) {
      let block = open?.kind === "quote" ? open : null;
      if (!block) {
        close();
        block = { kind: "quote", segments: [], start: line.from, end: line.to };
        open = block;
      }
      const body = trimmed(text, line.from + quote[0].length, line.to);
      if (body.from < body.to) block.segments.push(body);
      block.end = line.to;
      return;
    }

    // Plain text: it continues the open paragraph, block quote or list item (lazily, as Markdown does), or starts a paragraph.
    const current: Open | null = open;
    if (current?.kind === "list") {
      const last = current.items[current.items.length - 1];
      if (last && (!current.blankAfter || indentOf(text, line) >= 2)) {
        last.segments.push(content);
        last.end = line.to;
        current.end = line.to;
        current.blankAfter = false;
        return;
      }
      close();
    } else if (current) {
      current.segments.push(content);
      current.end = line.to;
      return;
    }
    open = { kind: "paragraph", segments: [content], start: line.from, end: line.to };
  });
  close();
  return blocks;
}

const PUNCTUATION = /[\p{P}\p{S}]/u;
const isWhite = (c: string | undefined) => c === undefined || /\s/.test(c);
const isPunct = (c: string | undefined) => c !== undefined && PUNCTUATION.test(c);
const ESCAPABLE = /[!-/:-@[-`{-~]/;

interface Delimiter {
  char: "*" | "_";
  /** First index of the run in the joined text. */
  index: number;
  /** The run's length as written, and what is left of it at each end once matched. */
  length: number;
  front: number;
  back: number;
  canOpen: boolean;
  canClose: boolean;
  active: boolean;
}

/**
 * The runs of a block whose content is `segments` (one per line; lines are joined with a space that stands for the line
 * break and the indentation after it).
 */
function inlineRuns(text: string, segments: Segment[], sliceStart: number, ranges: TextRange[], verbatim = false): InlineRun[] {
  // The joined text, and where each of its characters is in the slice.
  const chars: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  segments.forEach((segment, k) => {
    if (k > 0) {
      chars.push(verbatim ? "\n" : " ");
      from.push(segments[k - 1]!.to);
      to.push(segment.from);
    }
    for (let i = segment.from; i < segment.to; i++) {
      chars.push(text[i]!);
      from.push(i);
      to.push(i + 1);
    }
  });
  const n = chars.length;
  const hidden = new Uint8Array(n);
  const literal = new Uint8Array(n); // escaped or in code: never a delimiter
  const code = new Uint8Array(n);
  const strong = new Int16Array(n);
  const em = new Int16Array(n);

  // Backslash escapes and code spans, left to right (none in a code block: all of it is text).
  for (let i = 0; i < n && !verbatim; i++) {
    const c = chars[i]!;
    if (c === "\\" && i + 1 < n && ESCAPABLE.test(chars[i + 1]!)) {
      hidden[i] = 1;
      literal[i + 1] = 1;
      i++;
      continue;
    }
    if (c === "`") {
      let run = 1;
      while (chars[i + run] === "`") run++;
      // The closing run of exactly the same length.
      let j = i + run;
      let close = -1;
      while (j < n) {
        if (chars[j] === "`") {
          let other = 1;
          while (chars[j + other] === "`") other++;
          if (other === run) {
            close = j;
            break;
          }
          j += other;
        } else j++;
      }
      if (close === -1) {
        for (let k = i; k < i + run; k++) literal[k] = 1;
        i += run - 1;
        continue;
      }
      for (let k = i; k < i + run; k++) hidden[k] = 1;
      for (let k = close; k < close + run; k++) hidden[k] = 1;
      for (let k = i + run; k < close; k++) {
        code[k] = 1;
        literal[k] = 1;
      }
      i = close + run - 1;
    }
  }

  // Runs of * and _ that may open or close emphasis (CommonMark's flanking rules).
  const delimiters: Delimiter[] = [];
  for (let i = 0; i < n; i++) {
    const c = chars[i]!;
    if ((c !== "*" && c !== "_") || literal[i] || verbatim) continue;
    let length = 1;
    while (chars[i + length] === c && !literal[i + length]) length++;
    const before = i > 0 ? chars[i - 1] : undefined;
    const after = i + length < n ? chars[i + length] : undefined;
    const left = !isWhite(after) && (!isPunct(after) || isWhite(before) || isPunct(before));
    const right = !isWhite(before) && (!isPunct(before) || isWhite(after) || isPunct(after));
    const canOpen = c === "*" ? left : left && (!right || isPunct(before));
    const canClose = c === "*" ? right : right && (!left || isPunct(after));
    delimiters.push({ char: c, index: i, length, front: 0, back: 0, canOpen, canClose, active: true });
    i += length - 1;
  }

  // Match closers with the nearest opener before them.
  const left = (d: Delimiter) => d.length - d.front - d.back;
  for (let c = 0; c < delimiters.length; c++) {
    const closer = delimiters[c]!;
    if (!closer.canClose) continue;
    while (left(closer) > 0) {
      let o = c - 1;
      for (; o >= 0; o--) {
        const opener = delimiters[o]!;
        if (!opener.active || opener.char !== closer.char || !opener.canOpen || left(opener) === 0) continue;
        // The "multiple of 3" rule: *a**b* is not strong.
        if ((opener.canClose || closer.canOpen) && (opener.length + closer.length) % 3 === 0 && !(opener.length % 3 === 0 && closer.length % 3 === 0))
          continue;
        break;
      }
      if (o < 0) break;
      const opener = delimiters[o]!;
      const use = left(opener) >= 2 && left(closer) >= 2 ? 2 : 1;
      const openEnd = opener.index + opener.length - opener.back; // the opener's characters used are just before this
      const closeStart = closer.index + closer.front;
      for (let k = openEnd - use; k < openEnd; k++) hidden[k] = 1;
      for (let k = closeStart; k < closeStart + use; k++) hidden[k] = 1;
      const styled = use === 2 ? strong : em;
      for (let k = openEnd; k < closeStart; k++) styled[k]!++;
      opener.back += use;
      closer.front += use;
      // Delimiters between the two can no longer match.
      for (let k = o + 1; k < c; k++) delimiters[k]!.active = false;
    }
    if (!closer.canOpen) closer.active = false;
  }

  // Characters to runs: one run per stretch of shown characters with the same style and highlight.
  const runs: InlineRun[] = [];
  for (let i = 0; i < n; i++) {
    if (hidden[i]) continue;
    const start = sliceStart + from[i]!;
    const end = sliceStart + to[i]!;
    // The first range (in order of start) that holds the whole character; a joining space holds a line break.
    let highlight: number | null = null;
    for (let h = 0; h < ranges.length && ranges[h]!.start <= start; h++) {
      if (ranges[h]!.end >= end) {
        highlight = h;
        break;
      }
    }
    const style = { strong: strong[i]! > 0, em: em[i]! > 0, code: code[i] === 1, highlight };
    const last = runs[runs.length - 1];
    if (last && last.strong === style.strong && last.em === style.em && last.code === style.code && last.highlight === style.highlight) {
      last.text += chars[i];
      last.end = end;
    } else {
      runs.push({ text: chars[i]!, start, end, ...style });
    }
  }
  return runs;
}

/** The text a block shows (its runs joined), for tests and labels. */
export function blockText(block: MarkdownBlock): string {
  if (block.kind === "rule") return "";
  if (block.kind === "list") return block.items.map((item) => item.runs.map((run) => run.text).join("")).join("\n");
  return block.runs.map((run) => run.text).join("");
}

/**
 * A passage read as Markdown and given back as plain text: headings, emphasis and list markers hidden, wrapped lines joined,
 * one blank line between blocks. For previews (search results), where offsets do not matter.
 */
export function markdownPlainText(text: string, options: MarkdownOptions = {}): string {
  return parseMarkdown(text, 0, [], options)
    .map(blockText)
    .filter((block) => block.length > 0)
    .join("\n\n");
}

/** Whether any text of the blocks is highlighted. */
export function hasHighlight(blocks: MarkdownBlock[]): boolean {
  return blocks.some((block) =>
    block.kind === "list" ? block.items.some((item) => item.runs.some((r) => r.highlight !== null)) : block.kind !== "rule" && block.runs.some((r) => r.highlight !== null),
  );
}
