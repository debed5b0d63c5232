// @vitest-environment happy-dom
import { cleanup, render } from "@testing-library/react";
import { createRef } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { parseMarkdown } from "./markdown";
import { MarkdownText } from "./MarkdownText";

afterEach(cleanup);

describe("MarkdownText", () => {
  it("renders headings, emphasis and lists as elements, with the syntax gone", () => {
    const text = "# Tides\n\nThe **Moon** pulls *the* sea\nup.\n\n1. one\n2. two\n\n- dot";
    const { container } = render(<MarkdownText blocks={parseMarkdown(text)} />);
    expect(container.querySelector("h3")?.textContent).toBe("Tides");
    expect(container.querySelector("p")?.textContent).toBe("The Moon pulls the sea up.");
    expect(container.querySelector("strong")?.textContent).toBe("Moon");
    expect(container.querySelector("em")?.textContent).toBe("the");
    expect([...container.querySelectorAll("ol > li")].map((li) => li.textContent)).toEqual(["one", "two"]);
    expect(container.querySelector("ul > li")?.textContent).toBe("dot");
    expect(container.textContent).not.toMatch(/[#*]/);
  });

  it("keeps hostile text inert: no element comes from the document's text", () => {
    const text =
      '<img src=x onerror="alert(1)"> and [x](javascript:alert(1)) and <script>alert(2)</script>\n\n**<b>bold tag</b>** <a href="javascript:alert(3)">a</a>';
    const { container } = render(<MarkdownText blocks={parseMarkdown(text, 0, [{ start: 0, end: text.length }])} />);
    expect(container.querySelector("img, a, script, b, iframe")).toBeNull();
    expect(container.querySelectorAll("[onerror], [href]")).toHaveLength(0);
    expect(container.textContent).toContain('<img src=x onerror="alert(1)">');
    expect(container.textContent).toContain("[x](javascript:alert(1))");
    expect(container.querySelector("strong")?.textContent).toBe("<b>bold tag</b>");
  });

  it("marks a highlight inside one paragraph with one <mark> carrying the passage test id and the ref", () => {
    const text = "Intro line.\n\nTides are caused by the **Moon**\nand the Sun. Other text.";
    const start = text.indexOf("Tides");
    const end = text.indexOf("Sun.") + 4;
    const ref = createRef<HTMLElement>();
    const { container, getByTestId } = render(<MarkdownText blocks={parseMarkdown(text, 0, [{ start, end }])} passageRef={ref} />);
    const marks = container.querySelectorAll("mark");
    expect(marks).toHaveLength(1);
    expect(getByTestId("viewer-passage")).toBe(marks[0]);
    expect(ref.current).toBe(marks[0]);
    expect(marks[0]!.textContent).toBe("Tides are caused by the Moon and the Sun.");
    expect(marks[0]!.querySelector("strong")?.textContent).toBe("Moon");
  });

  it("gives each highlight its own marks, the test id only to the first", () => {
    const text = "One. Two. Three.";
    const blocks = parseMarkdown(text, 0, [
      { start: 10, end: 16 },
      { start: 0, end: 4 },
    ]);
    const { container, getAllByTestId } = render(<MarkdownText blocks={blocks} />);
    expect([...container.querySelectorAll("mark")].map((m) => [m.textContent, m.getAttribute("data-highlight")])).toEqual([
      ["One.", "0"],
      ["Three.", "1"],
    ]);
    expect(getAllByTestId("viewer-passage").map((e) => e.textContent)).toEqual(["One."]);
  });

  it("puts the test id on the blocks a highlight spans when it takes several marks", () => {
    const text = "Before.\n\nFirst para end.\n\n- item one\n- item two\n\nAfter.";
    const start = text.indexOf("end.");
    const end = text.indexOf("item two") + 4;
    const ref = createRef<HTMLElement>();
    const { container, getAllByTestId } = render(<MarkdownText blocks={parseMarkdown(text, 0, [{ start, end }])} passageRef={ref} />);
    expect([...container.querySelectorAll("mark")].map((m) => m.textContent)).toEqual(["end.", "item one", "item"]);
    const passage = getAllByTestId("viewer-passage");
    expect(passage).toHaveLength(1);
    expect(passage[0]!.tagName).toBe("DIV");
    expect(passage[0]!.textContent).toBe("First para end.item oneitem two");
    expect(ref.current?.textContent).toBe("end.");
    expect(container.textContent).toBe("Before.First para end.item oneitem twoAfter.");
  });

  it("puts leading and trailing nodes inside the first and last block's text, or around the blocks", () => {
    const { container } = render(
      <MarkdownText blocks={parseMarkdown("cut paragraph\n\n- last item", 10)} leading={<span>… </span>} trailing={<span> …</span>} />,
    );
    expect(container.querySelector("p")?.textContent).toBe("… cut paragraph");
    expect(container.querySelector("li")?.textContent).toBe("last item …");
    const ruled = render(<MarkdownText blocks={parseMarkdown("text\n\n---", 0)} trailing={<span data-testid="after"> …</span>} />);
    expect(ruled.getByTestId("after").parentElement?.tagName).toBe("DIV");
  });

  it("renders a fenced code block as preformatted text", () => {
    const { container } = render(<MarkdownText blocks={parseMarkdown("```\n<b>x</b>\n  **y**\n```")} />);
    expect(container.querySelector("pre > code")?.textContent).toBe("<b>x</b>\n  **y**");
    expect(container.querySelector("b, strong")).toBeNull();
  });
});
