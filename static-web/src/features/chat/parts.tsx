import { AlertCircle, FileText, Flag, Quote, RotateCcw, Star } from "lucide-react";
import type { Citation } from "../../api/contract";
import { Avatar } from "../../components/ui/Avatar";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { cn } from "../../lib/cn";
import { citationLabel, citedSources, onePerDocument, splitCitations } from "./citations";
import type { ChatItem } from "./state";

/** Three bouncing dots while the clone has not said a word yet. */
export function TypingDots({ name }: { name: string }) {
  return (
    <span role="status" aria-label={`${name} is typing`} data-testid="typing-indicator" className="inline-flex h-5 items-center gap-1 px-0.5">
      {[0, 150, 300].map((delay) => (
        <span
          key={delay}
          aria-hidden
          className="size-2 animate-bounce rounded-full bg-slate-400"
          style={{ animationDelay: `${delay}ms`, animationDuration: "900ms" }}
        />
      ))}
    </span>
  );
}

/** The small numbered chip that stands for a `[n]` marker inside an answer. */
export function CitationChip({ citation, onOpen }: { citation: Citation; onOpen: (citation: Citation) => void }) {
  return (
    <button
      type="button"
      onClick={() => onOpen(citation)}
      aria-label={`Source ${citation.n}: ${citationLabel(citation)}`}
      title={citationLabel(citation)}
      data-testid="citation-chip"
      className="mx-0.5 inline-flex h-5 min-w-5 -translate-y-px items-center justify-center rounded-md bg-brand-50 px-1 align-middle text-[0.7rem] leading-none font-semibold text-brand-700 ring-1 ring-brand-200 transition-colors ring-inset hover:bg-brand-100 hover:text-brand-800"
    >
      {citation.n}
    </button>
  );
}

/** An answer's text with its `[n]` markers as chips; always text, never markup. */
export function MessageText({ text, citations, onOpen }: { text: string; citations: Citation[]; onOpen: (citation: Citation) => void }) {
  return (
    <>
      {splitCitations(text, citations).map((part, i) =>
        part.kind === "text" ? <span key={i}>{part.text}</span> : <CitationChip key={i} citation={part.citation} onOpen={onOpen} />,
      )}
    </>
  );
}

/** The documents an answer cites, as chips with their number, title and page (in the order given: number order). */
export function SourceList({ citations, onOpen }: { citations: Citation[]; onOpen: (citation: Citation) => void }) {
  if (citations.length === 0) return null;
  return (
    <div className="mt-3 border-t border-slate-100 pt-2.5">
      <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Sources</p>
      <ul className="mt-1.5 flex flex-wrap gap-1.5" aria-label="Sources">
        {citations.map((c) => (
          <li key={c.n} className="min-w-0 max-w-full">
            <button
              type="button"
              onClick={() => onOpen(c)}
              data-testid="source-chip"
              className="inline-flex max-w-full min-w-0 items-center gap-1.5 rounded-lg border border-slate-200 bg-white py-1 pr-2.5 pl-1 text-left text-xs text-slate-700 transition-colors hover:border-brand-300 hover:bg-brand-50"
            >
              {/* The name is this hidden text rather than aria-label, which must contain the visible text ("1Tides" reads as one word). */}
              <span className="sr-only">{`Source ${c.n}: ${citationLabel(c)}`}</span>
              <span aria-hidden className="inline-flex h-5 min-w-5 shrink-0 items-center justify-center rounded-md bg-brand-50 px-1 font-semibold text-brand-700 ring-1 ring-brand-200 ring-inset">
                {c.n}
              </span>
              <FileText aria-hidden className="size-3.5 shrink-0 text-slate-400" />
              <span aria-hidden className="min-w-0 truncate font-medium">{c.title?.trim() || c.fileName || "Source"}</span>
              {c.page ? <span aria-hidden className="shrink-0 text-slate-500">p. {c.page}</span> : null}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Stars({ value, className }: { value: number; className?: string }) {
  return (
    <span role="img" aria-label={`${value} out of 5 stars`} className={cn("inline-flex items-center gap-0.5", className)}>
      {[1, 2, 3, 4, 5].map((n) => (
        <Star key={n} aria-hidden className={cn("size-4", n <= value ? "fill-amber-400 text-amber-400" : "text-slate-300")} />
      ))}
    </span>
  );
}

/** One message: the user's on the right, the clone's on the left with its citations. */
export function MessageBubble({
  item,
  cloneName,
  cloneSeed,
  onOpenCitation,
  onReport,
}: {
  item: ChatItem;
  cloneName: string;
  cloneSeed: string;
  onOpenCitation: (citation: Citation) => void;
  /** Report this answer (a stored one: it has an id); absent where answers cannot be reported (a preview). */
  onReport?: (messageId: string) => void;
}) {
  if (item.role === "user") {
    return (
      <div className="flex justify-end" data-testid="user-message">
        <p
          className={cn(
            "max-w-[85%] rounded-2xl rounded-tr-sm px-4 py-2.5 text-[0.95rem] leading-relaxed break-words whitespace-pre-wrap sm:max-w-[75%]",
            item.state === "failed" ? "bg-slate-200 text-slate-700" : "bg-brand-600 text-white",
            item.state === "sending" && "opacity-80",
          )}
        >
          {item.content}
        </p>
      </div>
    );
  }

  const quiet = item.content.trim() === "" && (item.state === "waiting" || item.state === "streaming");
  const done = item.state === "done";
  // The chips follow the markers whose citation is known: an extractive answer's as they arrive (its start frame has the
  // final list), a model's once its end frame brings the list. One chip per document, in number order. A stored answer's
  // citations are the ones it cited, so they are listed even when its text has no markers.
  const cited = citedSources(item.content, item.citations);
  const stored = done && item.key === item.id;
  const listed = cited.length > 0 || !stored ? cited : onePerDocument(item.citations);

  return (
    <div className="flex items-start gap-2.5 sm:gap-3" data-testid="assistant-message" data-state={item.state} data-answer-kind={item.answerKind ?? ""}>
      <Avatar name={cloneName} seed={cloneSeed} className="mt-0.5 size-8 text-xs" />
      <div className="max-w-[85%] min-w-0 rounded-2xl rounded-tl-sm border border-slate-200 bg-white px-4 py-3 shadow-xs sm:max-w-[75%]">
        {item.answerKind === "extractive" && !quiet ? (
          <Badge tone="brand" className="mb-1.5">
            <Quote aria-hidden className="size-3" />
            Quoted from sources
          </Badge>
        ) : null}
        {quiet ? (
          <TypingDots name={cloneName} />
        ) : (
          <p className="text-[0.95rem] leading-relaxed break-words whitespace-pre-wrap text-slate-800" data-testid="assistant-text">
            <MessageText text={item.content} citations={item.citations} onOpen={onOpenCitation} />
            {item.state === "streaming" ? <span aria-hidden className="ml-0.5 inline-block h-4 w-1.5 translate-y-0.5 animate-pulse rounded-sm bg-brand-400" /> : null}
          </p>
        )}
        {item.state === "failed" ? <p className="mt-2 text-xs font-medium text-amber-700">This answer was cut off.</p> : null}
        {item.interrupted && item.state === "done" ? (
          <p className="mt-2 text-xs font-medium text-amber-700" data-testid="interrupted-note">
            The answer stopped here when the page was left; this part was kept.
          </p>
        ) : null}
        {!quiet ? <SourceList citations={listed} onOpen={onOpenCitation} /> : null}
        {onReport && done && item.id ? (
          <div className="mt-1.5 flex justify-end">
            <button
              type="button"
              onClick={() => onReport(item.id!)}
              aria-label="Report this answer"
              className="inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-xs text-slate-500 hover:bg-slate-100 hover:text-slate-700"
            >
              <Flag aria-hidden className="size-3" />
              Report
            </button>
          </div>
        ) : null}
      </div>
    </div>
  );
}

/** Under a question that got no answer: why, and a way to send it again. */
export function FailureNotice({ item, onRetry, canRetry }: { item: ChatItem; onRetry: () => void; canRetry: boolean }) {
  if (!item.failure) return null;
  return (
    <div role="alert" className="ml-auto flex max-w-[85%] flex-col gap-2 rounded-xl border border-red-200 bg-red-50 px-3.5 py-2.5 text-sm text-red-900 sm:max-w-[75%]">
      <div className="flex gap-2">
        <AlertCircle aria-hidden className="mt-0.5 size-4 shrink-0 text-red-500" />
        <div className="min-w-0 space-y-0.5">
          <p className="font-semibold">{item.failure.title}</p>
          {item.failure.messages.map((m, i) => (
            <p key={i} className="break-words opacity-90">
              {m}
            </p>
          ))}
        </div>
      </div>
      {canRetry ? (
        <Button size="sm" variant="outline" className="self-end" onClick={onRetry}>
          <RotateCcw aria-hidden className="size-3.5" />
          Retry
        </Button>
      ) : null}
    </div>
  );
}
