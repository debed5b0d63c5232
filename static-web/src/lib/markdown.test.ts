import { describe, expect, it } from "vitest";
import { blockText, markdownPlainText, normalizeRanges, parseMarkdown, type InlineRun, type MarkdownBlock } from "./markdown";

/** Every run of the blocks, in order. */
function runsOf(blocks: MarkdownBlock[]): InlineRun[] {
  return blocks.flatMap((b) => (b.kind === "list" ? b.items.flatMap((i) => i.runs) : b.kind === "rule" ? [] : b.runs));
}

/** The shown text of the runs in highlight h. */
function highlighted(blocks: MarkdownBlock[], h = 0): string {
  return runsOf(blocks)
    .filter((r) => r.highlight === h)
    .map((r) => r.text)
    .join("|");
}

/** Each run's text is the original text at its range, minus syntax: checks the offsets of every run. */
function expectOffsetsMapBack(source: string, sliceStart: number, blocks: MarkdownBlock[]) {
  for (const run of runsOf(blocks)) {
    const original = source.slice(run.start - sliceStart, run.end - sliceStart);
    // The original, without emphasis/code/escape syntax and with line breaks (plus indentation) as one space.
    const stripped = original.replace(/[*_`\\]/g, "").replace(/[ \t]*(\r\n|\r|\n)[ \t]*(?:> ?)?[ \t]*/g, " ");
    expect(stripped, `run "${run.text}" at [${run.start}, ${run.end})`).toBe(run.text.replace(/[*_`\\]/g, ""));
  }
}

describe("parseMarkdown blocks", () => {
  it("reads headings, paragraphs, lists, quotes and rules, hiding their syntax", () => {
    const text = [
      "# Tides",
      "",
      "The sea rises",
      "and falls.",
      "",
      "## Causes ##",
      "- the Moon",
      "- the Sun",
      "  - a little",
      "",
      "3. three",
      "4. four",
      "",
      "> A quote",
      "> on two lines",
      "",
      "---",
      "Title",
      "=====",
      "###### Six",
    ].join("\n");
    const blocks = parseMarkdown(text);
    expect(blocks.map((b) => [b.kind, blockText(b)])).toEqual([
      ["heading", "Tides"],
      ["paragraph", "The sea rises and falls."],
      ["heading", "Causes"],
      ["list", "the Moon\nthe Sun\na little"],
      ["list", "three\nfour"],
      ["quote", "A quote on two lines"],
      ["rule", ""],
      ["heading", "Title"],
      ["heading", "Six"],
    ]);
    expect(blocks.filter((b) => b.kind === "heading").map((b) => (b.kind === "heading" ? b.level : 0))).toEqual([1, 2, 1, 6]);
    const bullets = blocks[3]!;
    expect(bullets.kind === "list" && bullets.items.map((i) => [i.depth, i.ordered, i.number])).toEqual([
      [0, false, null],
      [0, false, null],
      [1, false, null],
    ]);
    const numbered = blocks[4]!;
    expect(numbered.kind === "list" && numbered.ordered).toBe(true);
    expect(numbered.kind === "list" && numbered.items.map((i) => i.number)).toEqual([3, 4]);
    expectOffsetsMapBack(text, 0, blocks);
  });

  it("joins hard-wrapped lines of a paragraph and of a list item with one space", () => {
    const text = "Tides are caused mainly by the\n   gravitational pull of the Moon.  \nThe Sun helps.\n\n- an item that\n  wraps\n- next";
    const blocks = parseMarkdown(text);
    expect(blocks.map(blockText)).toEqual(["Tides are caused mainly by the gravitational pull of the Moon. The Sun helps.", "an item that wraps\nnext"]);
    expectOffsetsMapBack(text, 0, blocks);
    // The joining space stands for the line break and the indentation after it.
    const join = runsOf(blocks)[0]!;
    expect(join.start).toBe(0);
    expect(join.end).toBe(text.indexOf("The Sun helps.") + "The Sun helps.".length);
  });

  it("reads CRLF and lone CR line breaks like LF", () => {
    const text = "# Head\r\n\r\nline one\r\nline two\rline three\r\n- item\r\n";
    const blocks = parseMarkdown(text, 0, [{ start: text.indexOf("one"), end: text.indexOf("two") + 3 }]);
    expect(blocks.map((b) => [b.kind, blockText(b)])).toEqual([
      ["heading", "Head"],
      ["paragraph", "line one line two line three"],
      ["list", "item"],
    ]);
    expect(highlighted(blocks)).toBe("one line two");
    expectOffsetsMapBack(text, 0, blocks);
  });

  it("keeps a loose list (blank lines between items) as one list, and ends it at an unindented paragraph", () => {
    const blocks = parseMarkdown("- a\n\n- b\n\n  more of b\n\nAfter the list.");
    expect(blocks.map((b) => [b.kind, blockText(b)])).toEqual([
      ["list", "a\nb more of b"],
      ["paragraph", "After the list."],
    ]);
  });

  it("starts a new list when a top-level item changes kind", () => {
    const blocks = parseMarkdown("- a\n- b\n1. one\n2. two");
    expect(blocks.map((b) => (b.kind === "list" ? [b.ordered, blockText(b)] : null))).toEqual([
      [false, "a\nb"],
      [true, "one\ntwo"],
    ]);
  });

  it("does not take #tags, C# or -5 for syntax", () => {
    const blocks = parseMarkdown("#hashtag and C# code\n-5 degrees");
    expect(blocks.map((b) => [b.kind, blockText(b)])).toEqual([["paragraph", "#hashtag and C# code -5 degrees"]]);
  });

  it("keeps a fenced code block's lines as written, markers and all", () => {
    const text = "Intro\n```ts\nconst a = **b**;\n\n  # not a heading\n```\nAfter *em*";
    const blocks = parseMarkdown(text, 0, [{ start: text.indexOf("**b**"), end: text.indexOf("heading") }]);
    expect(blocks.map((b) => [b.kind, blockText(b)])).toEqual([
      ["paragraph", "Intro"],
      ["code", "const a = **b**;\n\n  # not a heading"],
      ["paragraph", "After em"],
    ]);
    expect(highlighted(blocks)).toBe("**b**;\n\n  # not a ");
    expect(runsOf(blocks).filter((r) => r.strong || r.em || r.code).map((r) => r.text)).toEqual(["em"]);
    // A fence the slice never closes runs to its end.
    expect(parseMarkdown("~~~\ncode *x*").map((b) => [b.kind, blockText(b)])).toEqual([["code", "code *x*"]]);
  });

  it("lets only a list starting at 1 interrupt a paragraph", () => {
    expect(parseMarkdown("The landing came in\n1969. The crew\n1. first").map((b) => [b.kind, blockText(b)])).toEqual([
      ["paragraph", "The landing came in 1969. The crew"],
      ["list", "first"],
    ]);
  });

  it("gives empty text no blocks", () => {
    expect(parseMarkdown("")).toEqual([]);
    expect(parseMarkdown("\n\n  \n")).toEqual([]);
  });
});

describe("parseMarkdown emphasis", () => {
  const styles = (text: string) =>
    runsOf(parseMarkdown(text)).map((r) => [r.text, [r.strong && "strong", r.em && "em", r.code && "code"].filter(Boolean).join("+")]);

  it("reads **strong**, __strong__, *em*, _em_ and `code`, hiding the markers", () => {
    expect(styles("a **b** c *d* e _f_ g __h__ i `j*k*`")).toEqual([
      ["a ", ""],
      ["b", "strong"],
      [" c ", ""],
      ["d", "em"],
      [" e ", ""],
      ["f", "em"],
      [" g ", ""],
      ["h", "strong"],
      [" i ", ""],
      ["j*k*", "code"],
    ]);
  });

  it("nests emphasis and lets it run across a line join", () => {
    expect(styles("***both*** and **strong *and em***")).toEqual([
      ["both", "strong+em"],
      [" and ", ""],
      ["strong ", "strong"],
      ["and em", "strong+em"],
    ]);
    expect(styles("**bold\nacross lines** done")).toEqual([
      ["bold across lines", "strong"],
      [" done", ""],
    ]);
  });

  it("leaves unmatched, spaced and intraword underscore markers as text", () => {
    expect(styles("2 * 3 * 4, snake_case_name, **unclosed")).toEqual([["2 * 3 * 4, snake_case_name, **unclosed", ""]]);
    // What is left of an unevenly matched pair stays text (as in CommonMark).
    expect(styles("**half*")).toEqual([
      ["*", ""],
      ["half", "em"],
    ]);
  });

  it("shows backslash-escaped markers as text", () => {
    expect(styles("\\*not em\\* and \\# no")).toEqual([["*not em* and # no", ""]]);
  });
});

describe("parseMarkdown highlights", () => {
  const text = "# Tides\n\nTides are caused mainly by the **gravitational pull of\nthe Moon** on the oceans. The Sun helps.\n\nNext paragraph.";
  const sentence = "Tides are caused mainly by the **gravitational pull of\nthe Moon** on the oceans.";
  const quote = { start: text.indexOf(sentence), end: text.indexOf(sentence) + sentence.length };

  it("highlights exactly the quoted characters, minus the syntax, across an emphasised run and a line join", () => {
    const blocks = parseMarkdown(text, 0, [quote]);
    expect(highlighted(blocks)).toBe("Tides are caused mainly by the |gravitational pull of the Moon| on the oceans.");
    const marked = runsOf(blocks).filter((r) => r.highlight === 0);
    expect(marked[0]!.start).toBe(quote.start);
    expect(marked[marked.length - 1]!.end).toBe(quote.end);
    expect(runsOf(blocks).filter((r) => r.highlight === null).map((r) => r.text)).toEqual(["Tides", " The Sun helps.", "Next paragraph."]);
  });

  it("starts and ends a highlight inside an emphasised run", () => {
    const start = text.indexOf("pull");
    const end = text.indexOf("Moon") + 2;
    const runs = runsOf(parseMarkdown(text, 0, [{ start, end }]));
    expect(runs.filter((r) => r.highlight === 0).map((r) => [r.text, r.strong])).toEqual([["pull of the Mo", true]]);
    expect(runs.filter((r) => r.strong).map((r) => r.text)).toEqual(["gravitational ", "pull of the Mo", "on"]);
  });

  it("marks the joining space only when the range covers the line break", () => {
    const t = "first line\nsecond line";
    const upToBreak = parseMarkdown(t, 0, [{ start: 0, end: 10 }]);
    expect(highlighted(upToBreak)).toBe("first line");
    const across = parseMarkdown(t, 0, [{ start: 6, end: 17 }]);
    expect(highlighted(across)).toBe("line second");
  });

  it("counts several highlights in order of start and splits one that spans blocks", () => {
    const a = { start: text.indexOf("The Sun"), end: text.indexOf("helps.") + 6 };
    const b = { start: text.indexOf("Tides"), end: text.indexOf("Tides") + 5 };
    const c = { start: text.indexOf("oceans"), end: text.indexOf("Next") + 4 };
    const blocks = parseMarkdown(text, 0, [a, b, c]);
    expect(highlighted(blocks, 0)).toBe("Tides");
    // a lies inside c, which starts first: c wins where they overlap.
    expect(highlighted(blocks, 1)).toBe("oceans. The Sun helps.|Next");
    expect(highlighted(blocks, 2)).toBe("");
    expect(normalizeRanges([a, b, { start: 5, end: 5 }])).toEqual([b, a]);
  });

  it("maps a slice that starts mid-paragraph to the whole document's offsets", () => {
    const document = "# Tides\n\n" + "x".repeat(500) + " **bold** rest of the line\n# Not cut\nmore";
    const sliceStart = document.indexOf("bold") - 1; // the slice starts inside the ** marker
    const slice = document.slice(sliceStart);
    const quote = { start: document.indexOf("rest"), end: document.indexOf("rest") + 4 };
    const blocks = parseMarkdown(slice, sliceStart, [quote]);
    // The cut first line is part of a paragraph; the next line is a heading again. (The half marker pairs as it can.)
    expect(blocks.map((b) => [b.kind, blockText(b)])).toEqual([
      ["paragraph", "bold* rest of the line"],
      ["heading", "Not cut"],
      ["paragraph", "more"],
    ]);
    const rest = runsOf(blocks).find((r) => r.highlight === 0)!;
    expect(rest).toMatchObject({ text: "rest", start: quote.start, end: quote.end });
    expectOffsetsMapBack(slice, sliceStart, blocks);
  });

  it("reads a cut first line as a paragraph even when it looks like a heading, unless told it starts a line", () => {
    expect(parseMarkdown("# looks like a heading\ntext", 40).map((b) => b.kind)).toEqual(["paragraph"]);
    expect(parseMarkdown("# a heading\ntext", 40, [], { atLineStart: true }).map((b) => b.kind)).toEqual(["heading", "paragraph"]);
  });

  it("ignores ranges outside the slice and empty or reversed ranges", () => {
    const blocks = parseMarkdown("some text", 100, [{ start: 0, end: 50 }, { start: 104, end: 104 }, { start: 109, end: 102 }]);
    expect(runsOf(blocks).every((r) => r.highlight === null)).toBe(true);
  });
});

describe("parseMarkdown with hostile text", () => {
  it("keeps tags, images and javascript: links as plain text", () => {
    const text = '<img src=x onerror="alert(1)"> [x](javascript:alert(1)) ![i](http://e/x.png) <script>alert(2)</script>';
    const blocks = parseMarkdown(text);
    expect(blocks).toHaveLength(1);
    expect(blockText(blocks[0]!)).toBe(text);
    expect(runsOf(blocks).every((r) => !r.strong && !r.em && !r.code)).toBe(true);
  });

  it("handles long runs of markers without blowing up", () => {
    const text = "*".repeat(5000) + "a" + "_".repeat(5000) + "`".repeat(3000);
    const started = performance.now();
    const blocks = parseMarkdown(text);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(runsOf(blocks).length).toBeGreaterThan(0);
  });
});

describe("markdownPlainText", () => {
  it("hides heading and emphasis markers and joins wrapped lines", () => {
    const text = "## Magma\n\nMagma forms in the **mantle**\nwhen rock melts.\n\n- one\n- two";
    expect(markdownPlainText(text)).toBe("Magma\n\nMagma forms in the mantle when rock melts.\n\none\ntwo");
  });

  it("keeps hostile text as text", () => {
    expect(markdownPlainText("<img src=x onerror=alert(1)> [x](javascript:alert(1))")).toBe("<img src=x onerror=alert(1)> [x](javascript:alert(1))");
  });
});

