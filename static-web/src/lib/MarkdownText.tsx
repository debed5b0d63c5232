// Document text as Markdown (see markdown.ts), built as React elements: no HTML from the text ever reaches the page.
// Highlights are <mark>s; the first highlight is the passage the viewers open at.
import { Fragment, type ReactNode, type Ref } from "react";
import { cn } from "./cn";
import type { InlineRun, ListItem, MarkdownBlock } from "./markdown";

/** Consecutive runs in the same highlight (or in none). */
function groups(runs: InlineRun[]): { highlight: number | null; runs: InlineRun[] }[] {
  const out: { highlight: number | null; runs: InlineRun[] }[] = [];
  for (const run of runs) {
    const last = out[out.length - 1];
    if (last && last.highlight === run.highlight) last.runs.push(run);
    else out.push({ highlight: run.highlight, runs: [run] });
  }
  return out;
}

function runLists(block: MarkdownBlock): InlineRun[][] {
  if (block.kind === "rule") return [];
  if (block.kind === "list") return block.items.map((item) => item.runs);
  return [block.runs];
}

/** How many <mark>s the first highlight takes, and the blocks it is in. */
function firstHighlight(blocks: MarkdownBlock[]): { marks: number; from: number; to: number } {
  let marks = 0;
  let from = -1;
  let to = -1;
  blocks.forEach((block, index) => {
    for (const runs of runLists(block)) {
      const count = groups(runs).filter((g) => g.highlight === 0).length;
      if (count === 0) continue;
      marks += count;
      if (from === -1) from = index;
      to = index;
    }
  });
  return { marks, from, to };
}

function Run({ run }: { run: InlineRun }) {
  let node: ReactNode = run.text;
  if (run.code) node = <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.85em] text-slate-900">{node}</code>;
  if (run.em) node = <em>{node}</em>;
  if (run.strong) node = <strong className="font-semibold text-slate-900">{node}</strong>;
  return <>{node}</>;
}

const HEADING_SIZES = ["text-xl", "text-lg", "text-base", "text-base", "text-sm", "text-sm"] as const;

/**
 * Blocks of document text. `passageRef` goes to the first <mark> of the first highlight (to scroll to); `passageTestId` marks
 * the first highlight: its <mark>, or, when it spans several paragraphs or list items, the blocks that hold it. `leading` and
 * `trailing` (an ellipsis where the text is cut) go inside the first and last block's text.
 */
export function MarkdownText({
  blocks,
  passageRef,
  passageTestId = "viewer-passage",
  leading,
  trailing,
  className,
  "data-testid": testId,
}: {
  blocks: MarkdownBlock[];
  passageRef?: Ref<HTMLElement>;
  passageTestId?: string;
  leading?: ReactNode;
  trailing?: ReactNode;
  className?: string;
  "data-testid"?: string;
}) {
  const first = firstHighlight(blocks);
  const wrapped = first.marks > 1;
  let firstSeen = false;

  // The text of the first and the last block (none for a rule), where the leading and trailing nodes go.
  const firstRuns = blocks.length > 0 ? runLists(blocks[0]!)[0] : undefined;
  const lastRuns = blocks.length > 0 ? runLists(blocks[blocks.length - 1]!).at(-1) : undefined;
  const inline = (runs: InlineRun[]) => [
    runs === firstRuns && leading ? <Fragment key="leading">{leading}</Fragment> : null,
    ...groups(runs).map((group, i) => {
      const content = group.runs.map((run, j) => <Run key={j} run={run} />);
      if (group.highlight === null) return <Fragment key={i}>{content}</Fragment>;
      const isFirst = group.highlight === 0 && !firstSeen;
      if (isFirst) firstSeen = true;
      return (
        <mark
          key={i}
          ref={isFirst ? passageRef : undefined}
          data-testid={isFirst && !wrapped ? passageTestId : undefined}
          data-highlight={group.highlight}
          className="rounded-[3px] bg-amber-100 box-decoration-clone text-slate-900 shadow-[inset_0_-2px_0_var(--color-amber-400)]"
        >
          {content}
        </mark>
      );
    }),
    runs === lastRuns && trailing ? <Fragment key="trailing">{trailing}</Fragment> : null,
  ];

  const item = (it: ListItem, i: number) => (
    <li
      key={i}
      value={it.ordered && it.number !== null ? it.number : undefined}
      className={cn("pl-1", it.ordered ? "list-decimal" : it.depth % 2 === 1 ? "list-[circle]" : "list-disc")}
      style={it.depth > 0 ? { marginLeft: `${it.depth * 1.25}rem` } : undefined}
    >
      {inline(it.runs)}
    </li>
  );

  const block = (b: MarkdownBlock): ReactNode => {
    const key = `${b.kind}:${b.start}`;
    switch (b.kind) {
      case "heading": {
        // The dialog's title is the h2: a document's own headings sit under it.
        const Tag = `h${Math.min(6, b.level + 2)}` as "h3";
        return (
          <Tag key={key} className={cn("pt-1 leading-snug font-semibold text-slate-900", HEADING_SIZES[b.level - 1])}>
            {inline(b.runs)}
          </Tag>
        );
      }
      case "paragraph":
        return <p key={key}>{inline(b.runs)}</p>;
      case "quote":
        return (
          <blockquote key={key} className="border-l-4 border-slate-200 pl-3 text-slate-700">
            {inline(b.runs)}
          </blockquote>
        );
      case "code":
        return (
          <pre key={key} className="rounded-lg bg-slate-50 px-3 py-2 font-mono text-[0.85em] leading-6 break-words whitespace-pre-wrap text-slate-800">
            <code>{inline(b.runs)}</code>
          </pre>
        );
      case "list": {
        const firstNumber = b.items[0]?.number;
        return b.ordered ? (
          <ol key={key} start={firstNumber ?? undefined} className="space-y-1 pl-5">
            {b.items.map(item)}
          </ol>
        ) : (
          <ul key={key} className="space-y-1 pl-5">
            {b.items.map(item)}
          </ul>
        );
      }
      case "rule":
        return <hr key={key} className="border-slate-200" />;
      default:
        return null;
    }
  };

  const rendered: ReactNode[] = [];
  blocks.forEach((b, index) => {
    if (wrapped && index === first.from) {
      rendered.push(
        <div key="passage" data-testid={passageTestId} className="space-y-3">
          {blocks.slice(first.from, first.to + 1).map(block)}
        </div>,
      );
    } else if (!wrapped || index < first.from || index > first.to) {
      rendered.push(block(b));
    }
  });

  return (
    <div className={cn("space-y-3 text-[0.95rem] leading-7 break-words text-slate-800", className)} data-testid={testId}>
      {firstRuns ? null : leading}
      {rendered}
      {lastRuns ? null : trailing}
    </div>
  );
}
