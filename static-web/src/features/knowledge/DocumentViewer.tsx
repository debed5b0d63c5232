import { ExternalLink, FileText } from "lucide-react";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { MAX_TEXT_RANGE } from "../../api/client";
import { ApiError, errorMessage } from "../../api/http";
import type { Passage } from "../../api/contract";
import { Alert } from "../../components/ui/Alert";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Modal } from "../../components/ui/Dialog";
import { Loading } from "../../components/ui/States";
import { formatBytes, formatNumber } from "../../lib/format";
import { parseMarkdown } from "../../lib/markdown";
import { MarkdownText } from "../../lib/MarkdownText";
import { DocumentStatusBadge, headingText } from "./parts";
import { useDocument, useDocumentText } from "./queries";

/** Characters shown around a passage when the viewer opens at it. */
export const CONTEXT_CHARS = 3000;

export interface ViewerTarget {
  documentId: string;
  /** Shown until the document itself has loaded. */
  title: string;
  passage?: Passage;
}

interface Loaded {
  start: number;
  end: number;
  total: number;
  text: string;
  page: number | null;
}

/**
 * Where the first load starts: a few thousand characters before the passage, or the start of the document.
 * The end is left to the API (up to 20,000 characters), because an end past the text's length is refused and the
 * length is only known after the first answer; 20,000 characters cover the passage and its context after it.
 */
export function initialStart(passage?: Pick<Passage, "start">): number {
  return passage ? Math.max(0, passage.start - CONTEXT_CHARS) : 0;
}

export function DocumentViewer({
  cloneId,
  target,
  onClose,
}: {
  cloneId: string;
  target: ViewerTarget | null;
  onClose: () => void;
}) {
  return (
    <Modal
      open={target !== null}
      onOpenChange={(open) => !open && onClose()}
      variant="side"
      title={target?.title ?? "Document"}
      description={target?.passage ? "The passage you picked is highlighted." : undefined}
    >
      {target ? <ViewerBody key={`${target.documentId}:${target.passage?.chunkId ?? ""}`} cloneId={cloneId} target={target} /> : null}
    </Modal>
  );
}

function ViewerBody({ cloneId, target }: { cloneId: string; target: ViewerTarget }) {
  const { documentId, passage } = target;
  const doc = useDocument(cloneId, documentId).data ?? null;
  const readText = useDocumentText();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<null | "earlier" | "more">(null);
  const scroller = useRef<HTMLDivElement>(null);
  const mark = useRef<HTMLElement>(null);
  const scrolledToPassage = useRef(false);
  const keepBottom = useRef<number | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    readText(cloneId, documentId, initialStart(passage), undefined, controller.signal)
      .then((r) => setLoaded({ start: r.start, end: r.end, total: r.totalLength, text: r.text, page: r.page }))
      .catch((e: unknown) => !controller.signal.aborted && setError(e));
    return () => controller.abort();
  }, [readText, cloneId, documentId, passage]);

  // Open at the passage once its text is on screen.
  useEffect(() => {
    if (!loaded || scrolledToPassage.current || !mark.current) return;
    scrolledToPassage.current = true;
    mark.current.scrollIntoView({ block: "center" });
  }, [loaded]);

  // Loading earlier text must not move what the reader is looking at.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && keepBottom.current !== null) {
      el.scrollTop = el.scrollHeight - keepBottom.current;
      keepBottom.current = null;
    }
  }, [loaded]);

  const loadEarlier = async () => {
    if (!loaded || loaded.start <= 0) return;
    setBusy("earlier");
    try {
      const start = Math.max(0, loaded.start - MAX_TEXT_RANGE);
      const r = await readText(cloneId, documentId, start, loaded.start);
      const el = scroller.current;
      keepBottom.current = el ? el.scrollHeight - el.scrollTop : null;
      setLoaded((cur) => (cur ? { ...cur, start: r.start, text: r.text + cur.text, total: r.totalLength, page: r.page ?? cur.page } : cur));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const loadMore = async () => {
    if (!loaded || loaded.end >= loaded.total) return;
    setBusy("more");
    try {
      const end = Math.min(loaded.total, loaded.end + MAX_TEXT_RANGE);
      const r = await readText(cloneId, documentId, loaded.end, end);
      setLoaded((cur) => (cur ? { ...cur, end: r.end, text: cur.text + r.text, total: r.totalLength } : cur));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const notExtracted = error instanceof ApiError && error.status === 409;
  const heading = headingText(passage?.headingPath);

  // The loaded text as Markdown, with the passage (a range of the whole document) highlighted.
  const blocks = useMemo(
    () => (loaded ? parseMarkdown(loaded.text, loaded.start, passage ? [{ start: passage.start, end: passage.end }] : []) : []),
    [loaded, passage],
  );

  return (
    // Focusable, so the text can be scrolled from the keyboard.
    <div
      ref={scroller}
      tabIndex={0}
      role="region"
      aria-label="Document text"
      className="h-full overflow-y-auto px-5 py-5 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-inset sm:px-6"
      data-testid="document-viewer-body"
    >
      <div className="space-y-4">
        {doc ? (
          <div className="space-y-3">
            <div className="flex flex-wrap items-center gap-2 text-xs text-slate-500">
              <DocumentStatusBadge doc={doc} />
              <span className="inline-flex min-w-0 items-center gap-1">
                <FileText aria-hidden className="size-3.5 shrink-0" />
                <span className="truncate">{doc.fileName}</span>
              </span>
              <span>{formatBytes(doc.size)}</span>
              {doc.pageCount > 0 ? <span>{formatNumber(doc.pageCount)} pages</span> : null}
              {doc.sourceUrl ? (
                <a href={doc.sourceUrl} target="_blank" rel="noreferrer noopener" className="inline-flex items-center gap-1 font-medium text-brand-700 hover:underline">
                  Source
                  <ExternalLink aria-hidden className="size-3" />
                </a>
              ) : null}
            </div>
            {doc.tags.length ? (
              <div className="flex flex-wrap gap-1.5">
                {doc.tags.map((t) => (
                  <Badge key={t}>#{t}</Badge>
                ))}
              </div>
            ) : null}
            {doc.summary ? (
              <div className="rounded-xl bg-slate-50 px-4 py-3">
                <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Summary</p>
                <p className="mt-1 text-sm leading-relaxed whitespace-pre-wrap text-slate-700">{doc.summary}</p>
              </div>
            ) : null}
          </div>
        ) : null}

        {passage ? (
          <p className="text-xs text-slate-500">
            {passage.page ? <span className="font-medium text-slate-700">Page {passage.page}</span> : null}
            {passage.page && heading ? " · " : null}
            {heading}
          </p>
        ) : null}

        {notExtracted ? (
          <Alert tone="info" title="The text isn't ready yet">
            It shows here once the document's text has been extracted.
          </Alert>
        ) : error ? (
          <Alert tone="error" title="We couldn't load the text">
            {errorMessage(error)}
          </Alert>
        ) : null}

        {!loaded && !error ? <Loading label="Loading text…" className="py-10" /> : null}

        {loaded ? (
          <div className="space-y-3">
            <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-slate-500">
              <span>
                Characters {formatNumber(loaded.start + 1)}–{formatNumber(loaded.end)} of {formatNumber(loaded.total)}
                {loaded.page ? ` · from page ${loaded.page}` : ""}
              </span>
              {loaded.start > 0 ? (
                <Button size="sm" variant="outline" loading={busy === "earlier"} disabled={busy !== null} onClick={() => void loadEarlier()}>
                  Load earlier
                </Button>
              ) : null}
            </div>
            <div className="rounded-xl border border-slate-200 bg-white p-4 sm:p-5" data-testid="document-text">
              {loaded.text.length === 0 ? (
                <span className="text-[0.95rem] text-slate-500 italic">This document has no text.</span>
              ) : (
                <MarkdownText blocks={blocks} passageRef={mark} />
              )}
            </div>
            {loaded.end < loaded.total ? (
              <div className="flex justify-center">
                <Button variant="outline" loading={busy === "more"} disabled={busy !== null} onClick={() => void loadMore()}>
                  Load more
                </Button>
              </div>
            ) : (
              <p className="text-center text-xs text-slate-500">End of document</p>
            )}
          </div>
        ) : null}
      </div>
    </div>
  );
}
