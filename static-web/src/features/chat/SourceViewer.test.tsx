// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Citation, DocumentText } from "../../api/contract";

// The document the session cited, read through a stand-in for the API.
const DOC = [
  "# Tides",
  "",
  "Tides are the regular rise and fall of the sea.",
  "",
  "Tides are caused mainly by the **gravitational pull of",
  "the Moon** on the oceans. The Sun adds a smaller pull.",
  "",
  '<img src=x onerror="alert(1)"> [x](javascript:alert(1))',
].join("\n");

const reads: [number, number | undefined][] = [];
vi.mock("./queries", () => ({
  useSourceText: () => async (_session: string, _doc: string, start: number, end: number | undefined): Promise<DocumentText> => {
    reads.push([start, end]);
    const to = Math.min(end ?? DOC.length, DOC.length);
    return { start, end: to, text: DOC.slice(start, to), totalLength: DOC.length, page: null } as DocumentText;
  },
}));

const { SourceViewer } = await import("./SourceViewer");

const sentence = "Tides are caused mainly by the **gravitational pull of\nthe Moon** on the oceans.";
const quoteStart = DOC.indexOf(sentence);

function citation(extra: Partial<Citation> = {}): Citation {
  return {
    n: 1,
    documentId: "d1",
    fileName: "tides.md",
    title: "Tides",
    start: quoteStart,
    end: quoteStart + sentence.length,
    page: null,
    snippet: "Tides are caused…",
    quotes: [{ start: quoteStart, end: quoteStart + sentence.length }],
    passages: [{ start: 0, end: DOC.length }],
    ...extra,
  };
}

let scrolled: Element[] = [];
beforeEach(() => {
  reads.length = 0;
  scrolled = [];
  Element.prototype.scrollIntoView = function (this: Element) {
    scrolled.push(this);
  };
});
afterEach(cleanup);

describe("SourceViewer", () => {
  it("shows the text as Markdown with exactly the quoted sentence highlighted, and scrolls to it", async () => {
    render(<SourceViewer sessionId="s1" citation={citation()} onClose={() => {}} />);
    const passage = await screen.findByTestId("viewer-passage");
    expect(passage.tagName).toBe("MARK");
    expect(passage.textContent).toBe("Tides are caused mainly by the gravitational pull of the Moon on the oceans.");
    expect(passage.querySelector("strong")?.textContent).toBe("gravitational pull of the Moon");
    await waitFor(() => expect(scrolled).toContain(passage));
    const text = screen.getByTestId("source-text");
    expect(text.querySelector("h3")?.textContent).toBe("Tides");
    expect(text.textContent).not.toContain("**");
    expect(text.textContent).toContain("[x](javascript:alert(1))");
    expect(text.querySelector("img, a, script")).toBeNull();
    expect(text.className).not.toContain("font-serif");
    expect(text.querySelector(".font-serif")).toBeNull();
    expect(reads[0]).toEqual([0, quoteStart + sentence.length + 600]);
  });

  it("highlights the whole cited range when the citation has no quotes", async () => {
    const start = DOC.indexOf("The Sun");
    render(<SourceViewer sessionId="s1" citation={citation({ start, end: start + 7, quotes: [] })} onClose={() => {}} />);
    expect((await screen.findByTestId("viewer-passage")).textContent).toBe("The Sun");
  });
});
