import { FileText } from "lucide-react";
import { useEffect, useMemo, useRef, useState } from "react";
import { ApiError, errorMessage } from "../../api/http";
import type { Citation, DocumentText } from "../../api/contract";
import { Alert } from "../../components/ui/Alert";
import { Modal } from "../../components/ui/Dialog";
import { Loading } from "../../components/ui/States";
import { formatNumber } from "../../lib/format";
import { hasHighlight, parseMarkdown } from "../../lib/markdown";
import { MarkdownText } from "../../lib/MarkdownText";
import { citationLabel, highlightRanges, sourceWindow } from "./citations";
import { useSourceText } from "./queries";

/** Reads [start, end) of a document a session cited. */
type SourceReader = ReturnType<typeof useSourceText>;

/**
 * The text around a cited passage: 600 characters either side of it. The API wants both ends inside the document, so
 * when the wider range runs past the end (a short document, a passage near its end) it is asked up to the passage's end
 * first, which also tells the document's length, and then for the rest of the context that exists.
 */
export async function loadSource(read: SourceReader, sessionId: string, citation: Citation, signal?: AbortSignal): Promise<DocumentText> {
  const wanted = sourceWindow(citation);
  try {
    return await read(sessionId, citation.documentId, wanted.start, wanted.end, signal);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 400)) throw error;
  }
  const head = await read(sessionId, citation.documentId, wanted.start, citation.end, signal);
  const tailEnd = Math.min(head.totalLength, wanted.end);
  if (tailEnd <= head.end) return head;
  try {
    const tail = await read(sessionId, citation.documentId, head.end, tailEnd, signal);
    return { ...head, end: tail.end, text: head.text + tail.text, totalLength: tail.totalLength };
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    return head; // the passage itself is there
  }
}

/**
 * A side panel with the document's text around the citation, read as Markdown, and the quoted sentences highlighted (the
 * cited range, for an answer without quotes); or the citation's snippet, where the text is refused.
 */
export function SourceViewer({ sessionId, citation, onClose }: { sessionId: string; citation: Citation | null; onClose: () => void }) {
  return (
    <Modal
      open={citation !== null}
      onOpenChange={(open) => !open && onClose()}
      variant="side"
      title={citation ? citationLabel(citation) : "Source"}
      description={
        citation
          ? `Source [${citation.n}] of the answer. ${citation.quotes.length > 0 ? "The quoted sentences are highlighted." : "The cited passage is highlighted."}`
          : undefined
      }
    >
      {citation ? <SourceBody key={`${citation.documentId}:${citation.start}:${citation.end}`} sessionId={sessionId} citation={citation} /> : null}
    </Modal>
  );
}

function SourceBody({ sessionId, citation }: { sessionId: string; citation: Citation }) {
  const [loaded, setLoaded] = useState<DocumentText | null>(null);
  const [error, setError] = useState<unknown>(null);
  const mark = useRef<HTMLElement>(null);
  const read = useSourceText();

  useEffect(() => {
    const controller = new AbortController();
    loadSource(read, sessionId, citation, controller.signal)
      .then(setLoaded)
      .catch((e: unknown) => !controller.signal.aborted && setError(e));
    return () => controller.abort();
  }, [read, sessionId, citation]);

  // Open at the passage once its text is on screen.
  useEffect(() => {
    if (loaded) mark.current?.scrollIntoView({ block: "center" });
  }, [loaded]);

  const refused = error instanceof ApiError && (error.status === 403 || error.status === 404);
  const blocks = useMemo(() => (loaded ? parseMarkdown(loaded.text, loaded.start, highlightRanges(citation)) : null), [loaded, citation]);
  const snippet = useMemo(() => parseMarkdown(citation.snippet), [citation.snippet]);
  const page = citation.page ?? loaded?.page ?? null;

  return (
    // Focusable, so the text can be scrolled from the keyboard.
    <div
      tabIndex={0}
      role="region"
      aria-label="Source text"
      className="h-full overflow-y-auto px-5 py-5 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-inset sm:px-6"
      data-testid="source-viewer-body"
    >
      <div className="space-y-4">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
          <span className="inline-flex min-w-0 items-center gap-1">
            <FileText aria-hidden className="size-3.5 shrink-0" />
            <span className="truncate">{citation.fileName}</span>
          </span>
          {page ? <span className="font-medium text-slate-700">Page {page}</span> : null}
          {loaded ? (
            <span>
              Characters {formatNumber(loaded.start + 1)}–{formatNumber(loaded.end)} of {formatNumber(loaded.totalLength)}
            </span>
          ) : null}
        </div>

        {error ? (
          <>
            {refused ? (
              <Alert tone="info" title="The document isn't available here">
                Only the cited passage can be shown.
              </Alert>
            ) : (
              <Alert tone="error" title="We couldn't load the document">
                {errorMessage(error)} Here is the cited passage.
              </Alert>
            )}
            <blockquote data-testid="citation-snippet" className="rounded-xl border-l-4 border-amber-400 bg-amber-50 px-4 py-3">
              {snippet.length > 0 ? (
                <MarkdownText blocks={snippet} />
              ) : (
                <p className="text-[0.95rem] text-slate-800">No excerpt was saved with this citation.</p>
              )}
            </blockquote>
          </>
        ) : null}

        {!loaded && !error ? <Loading label="Loading the source…" className="py-10" /> : null}

        {loaded && blocks ? (
          <div className="space-y-3">
            <div className="rounded-xl border border-slate-200 bg-white p-4 sm:p-5" data-testid="source-text">
              <MarkdownText
                blocks={blocks}
                passageRef={mark}
                leading={loaded.start > 0 ? <span className="text-slate-500">… </span> : null}
                trailing={loaded.end < loaded.totalLength ? <span className="text-slate-500"> …</span> : null}
              />
            </div>
            {!hasHighlight(blocks) ? (
              <p className="text-xs text-slate-500">The cited range is outside this excerpt; the passage reads: “{citation.snippet}”</p>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}
