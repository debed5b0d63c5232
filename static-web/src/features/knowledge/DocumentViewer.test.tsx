// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Passage } from "../../api/contract";

const DOC = [
  "# Volcanoes",
  "",
  "A volcano is an opening in the crust where *molten rock*, ash and",
  "gases escape. Text like <b>this</b> stays text.",
  "",
  "## Magma",
  "",
  "- Magma forms in the mantle.",
  "- At the surface it is called **lava**.",
].join("\n");

vi.mock("./queries", () => ({
  useDocument: () => ({ data: null }),
  useDocumentText: () => async (_clone: string, _doc: string, start: number, end: number | undefined) => {
    const to = Math.min(end ?? DOC.length, DOC.length);
    return { start, end: to, text: DOC.slice(start, to), totalLength: DOC.length, page: null };
  },
}));

const { DocumentViewer } = await import("./DocumentViewer");

let scrolled: Element[] = [];
beforeEach(() => {
  scrolled = [];
  Element.prototype.scrollIntoView = function (this: Element) {
    scrolled.push(this);
  };
});
afterEach(cleanup);

function passage(text: string): Passage {
  const start = DOC.indexOf(text);
  return { chunkId: "c1", start, end: start + text.length, page: null, headingPath: [] } as unknown as Passage;
}

describe("DocumentViewer", () => {
  it("reads the document as Markdown in the sans font, with the passage highlighted and scrolled to", async () => {
    const target = { documentId: "d1", title: "volcanoes.md", passage: passage("*molten rock*, ash and\ngases escape.") };
    render(<DocumentViewer cloneId="c" target={target} onClose={() => {}} />);
    const highlighted = await screen.findByTestId("viewer-passage");
    expect(highlighted.textContent).toBe("molten rock, ash and gases escape.");
    expect(highlighted.querySelector("em")?.textContent).toBe("molten rock");
    await waitFor(() => expect(scrolled).toContain(highlighted));
    const text = screen.getByTestId("document-text");
    expect(text.className).not.toContain("font-serif");
    expect(text.querySelector(".font-serif")).toBeNull();
    expect([...text.querySelectorAll("h3, h4")].map((h) => h.textContent)).toEqual(["Volcanoes", "Magma"]);
    expect([...text.querySelectorAll("li")].map((li) => li.textContent)).toEqual(["Magma forms in the mantle.", "At the surface it is called lava."]);
    expect(text.querySelector("b")).toBeNull();
    expect(text.textContent).toContain("<b>this</b>");
  });

  it("highlights nothing without a passage", async () => {
    render(<DocumentViewer cloneId="c" target={{ documentId: "d1", title: "volcanoes.md" }} onClose={() => {}} />);
    await screen.findByText("Magma", { selector: "h4" });
    expect(document.querySelectorAll("mark")).toHaveLength(0);
  });
});
