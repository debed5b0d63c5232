import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { DocumentFrame, KnowledgeDocument } from "../../api/contract";
import { useRealtime, useRealtimeState } from "../realtime/RealtimeProvider";
import { applyDocumentFrame, keepNewer, matchesFilters as matches, mayBelong, toDocumentFrame, withFrame } from "./live";
import { fetchDocument, fetchDocumentPage, knowledgeKeys, type DocumentFilters } from "./queries";

export type { DocumentFilters } from "./queries";

export const PAGE_SIZE = 25;
/** How often the list is polled while documents are in flight and no realtime connection is up. */
export const POLL_MS = 1500;
/** The same while the realtime connection is live: frames carry the progress, and the poll is only a safety net. */
export const LIVE_POLL_MS = 15_000;
/** How long a document's last frame may bring a record that arrives later up to date (a re-index starts over after that). */
const FRAME_MEMORY_MS = 60_000;
/** How long a frame for a document not in the list waits before the list is fetched (frames come in bursts). */
const UNKNOWN_SYNC_MS = 500;

export function isInFlight(doc: KnowledgeDocument): boolean {
  return doc.status === "uploaded" || doc.status === "processing";
}

/** Whether the page is shown (polling pauses in a background tab). */
export function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => typeof document === "undefined" || document.visibilityState !== "hidden");
  useEffect(() => {
    const onChange = () => setVisible(document.visibilityState !== "hidden");
    document.addEventListener("visibilitychange", onChange);
    return () => document.removeEventListener("visibilitychange", onChange);
  }, []);
  return visible;
}

/** A short fingerprint of what the list shows, to notice when polling changed anything. */
function fingerprint(items: KnowledgeDocument[]): string {
  return items.map((d) => `${d.id}:${d.status}:${d.stage}:${d.progress}:${d.updatedAt}`).join("|");
}

/** The list as the cache keeps it: the documents of the pages loaded so far, merged with what came since. */
interface DocumentList {
  items: KnowledgeDocument[];
  /** Where the next page starts; null on the last page. */
  token: string | null;
  /** Pages loaded (the first page alone is replaced by a new read of it; with more, a read is merged in). */
  pages: number;
}

/**
 * The clone's documents, page by page, filtered, kept in the query cache under knowledgeKeys.documents. Statuses update
 * live: the ingestion frames of the realtime hub are merged into their rows as they arrive (a frame for a document not in
 * the list fetches the list), and while any shown document is still being ingested the first page is polled and merged in
 * (not in a hidden tab), every 1.5 s, or every 15 s as a safety net while the realtime connection is live.
 */
export function useDocuments(cloneId: string, filters: DocumentFilters, onChanged?: () => void) {
  const queryClient = useQueryClient();
  const { status, tag } = filters;
  const key = useMemo(() => knowledgeKeys.documents(cloneId, { status, tag }), [cloneId, status, tag]);
  const listQuery = useQuery({
    queryKey: key,
    queryFn: async ({ signal }): Promise<DocumentList> => {
      const page = await fetchDocumentPage(cloneId, { status: status || undefined, tag: tag || undefined, pageSize: PAGE_SIZE }, signal);
      return { items: page.items, token: page.continuationToken, pages: 1 };
    },
  });
  const items = listQuery.data?.items ?? null;
  const token = listQuery.data?.token ?? null;
  const [moreError, setMoreError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const itemsRef = useRef<KnowledgeDocument[] | null>(null);
  itemsRef.current = items;
  const onChangedRef = useRef(onChanged);
  onChangedRef.current = onChanged;
  /** When each document last had a frame (Date.now()), so an older poll answer does not undo it. */
  const touchedAt = useRef(new Map<string, number>());
  /** The last frame of each document, with when it came: a record that arrives after its frames is brought up to it. */
  const lastFrame = useRef(new Map<string, { frame: DocumentFrame; at: number }>());
  const visible = usePageVisible();
  const live = useRealtimeState() === "live";

  useEffect(() => setMoreError(null), [key]);

  /** Changes the cached list (nothing while its first page is on its way). */
  const update = useCallback(
    (change: (list: DocumentList) => DocumentList) => {
      queryClient.setQueryData<DocumentList>(key, (list) => (list ? change(list) : list));
    },
    [queryClient, key],
  );
  const setItems = useCallback(
    (change: (items: KnowledgeDocument[]) => KnowledgeDocument[]) => update((list) => ({ ...list, items: change(list.items) })),
    [update],
  );

  /** Fetches the first page again and merges it in (keeping the other loaded pages); tells onChanged if anything changed. */
  const sync = useCallback(
    async (signal?: AbortSignal) => {
      const since = Date.now();
      const page = await fetchDocumentPage(cloneId, { status: status || undefined, tag: tag || undefined, pageSize: PAGE_SIZE }, signal);
      const current = itemsRef.current ?? [];
      const pages = queryClient.getQueryData<DocumentList>(key)?.pages ?? 1;
      let next: KnowledgeDocument[];
      if (pages <= 1) {
        next = page.items;
        update((list) => ({ ...list, token: page.continuationToken }));
      } else {
        // More pages are loaded: update what the first page knows, keep the rest, add the new ones on top.
        const fresh = new Map(page.items.map((d) => [d.id, d]));
        const known = new Set(current.map((d) => d.id));
        next = [...page.items.filter((d) => !known.has(d.id)), ...current.map((d) => fresh.get(d.id) ?? d)];
        const stale = next.filter((d) => isInFlight(d) && !fresh.has(d.id)).slice(0, 10);
        if (stale.length) {
          const updated = await Promise.all(stale.map((d) => fetchDocument(queryClient, cloneId, d.id).catch(() => d)));
          const byId = new Map(updated.map((d) => [d.id, d]));
          next = next.map((d) => byId.get(d.id) ?? d).filter((d) => matches(d, { status, tag }));
        }
      }
      if (signal?.aborted) return;
      const latest = itemsRef.current ?? [];
      next = keepNewer(next, latest, touchedAt.current, since);
      if (fingerprint(next) !== fingerprint(latest)) {
        itemsRef.current = next;
        const merged = next;
        setItems(() => merged);
        onChangedRef.current?.();
      }
    },
    [queryClient, key, update, setItems, cloneId, status, tag],
  );

  const active = items?.some(isInFlight) ?? false;
  const interval = live ? LIVE_POLL_MS : POLL_MS;

  useEffect(() => {
    if (!active || !visible) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        await sync(controller.signal);
      } catch {
        // A missed poll is retried on the next tick.
      }
      if (!controller.signal.aborted) timer = setTimeout(() => void poll(), interval);
    };
    // The first poll comes soon even when live: it catches what changed while the connection was coming up.
    timer = setTimeout(() => void poll(), POLL_MS);
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [active, visible, interval, sync]);

  const loadMore = useCallback(async () => {
    if (!token) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await fetchDocumentPage(cloneId, {
        status: status || undefined,
        tag: tag || undefined,
        pageSize: PAGE_SIZE,
        continuationToken: token,
      });
      update((list) => {
        const known = new Set(list.items.map((d) => d.id));
        return { items: [...list.items, ...page.items.filter((d) => !known.has(d.id))], token: page.continuationToken, pages: list.pages + 1 };
      });
    } catch (e) {
      setMoreError(e);
    } finally {
      setLoadingMore(false);
    }
  }, [cloneId, status, tag, token, update]);

  /** Puts new or changed documents into the list (new ones on top), if they pass the filters. */
  const upsert = useCallback(
    (docs: KnowledgeDocument[]) => {
      setItems((current) => {
        let next = current;
        for (const doc of docs) {
          const index = next.findIndex((d) => d.id === doc.id);
          const record: KnowledgeDocument = { ...doc, duplicate: null }; // "already there" belongs to the upload's answer
          // An upload's answer can come after the frames of its first steps (small files ingest fast): keep what they said.
          const recent = lastFrame.current.get(doc.id);
          const clean = recent && Date.now() - recent.at < FRAME_MEMORY_MS ? withFrame(record, recent.frame) : record;
          if (index >= 0) next = next.map((d, i) => (i === index ? clean : d)).filter((d) => matches(d, { status, tag }));
          else if (matches(doc, { status, tag })) next = [clean, ...next];
        }
        return next;
      });
    },
    [setItems, status, tag],
  );

  const removeIds = useCallback(
    (ids: string[]) => {
      const gone = new Set(ids);
      setItems((current) => current.filter((d) => !gone.has(d.id)));
    },
    [setItems],
  );

  // Frames for documents that are not in the list fetch it, once per document and status, after a short pause.
  const unknownSeen = useRef(new Map<string, string>());
  const syncTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const syncController = useRef<AbortController | null>(null);
  useEffect(() => {
    unknownSeen.current.clear();
    return () => {
      clearTimeout(syncTimer.current);
      syncTimer.current = undefined;
      syncController.current?.abort();
      syncController.current = null;
    };
  }, [sync]);

  useRealtime("document", (data) => {
    const frame = toDocumentFrame(data);
    if (!frame || frame.cloneId !== cloneId) return;
    touchedAt.current.set(frame.documentId, Date.now());
    lastFrame.current.set(frame.documentId, { frame, at: Date.now() });
    const current = itemsRef.current;
    if (current === null) return; // the first page is on its way
    const result = applyDocumentFrame(current, frame, { status, tag });
    if (!result.known) {
      if (!mayBelong(frame, { status, tag }) || unknownSeen.current.get(frame.documentId) === frame.status) return;
      unknownSeen.current.set(frame.documentId, frame.status);
      syncTimer.current ??= setTimeout(() => {
        syncTimer.current = undefined;
        syncController.current?.abort();
        const controller = new AbortController();
        syncController.current = controller;
        sync(controller.signal).catch(() => {
          // the next frame or poll tries again
        });
      }, UNKNOWN_SYNC_MS);
      return;
    }
    if (result.items !== current) {
      itemsRef.current = result.items;
      setItems((latest) => applyDocumentFrame(latest, frame, { status, tag }).items);
    }
    if (result.statusChanged) {
      onChangedRef.current?.();
      // The frame has no token count, page count or title found in the file: a finished document is fetched whole.
      if (frame.status === "ready" || frame.status === "failed") {
        fetchDocument(queryClient, cloneId, frame.documentId).then(
          (doc) => {
            if (!itemsRef.current?.some((d) => d.id === doc.id)) return; // deleted, or another clone or filter by now
            touchedAt.current.set(doc.id, Date.now());
            upsert([doc]);
          },
          () => {
            // the row already shows the status; the rest comes with the next poll
          },
        );
      }
    }
  });

  /** Reads the first page again (the other pages are dropped). */
  const refresh = useCallback(() => {
    setMoreError(null);
    void queryClient.invalidateQueries({ queryKey: key, exact: true });
  }, [queryClient, key]);

  const error = moreError ?? listQuery.error;
  return { items, token, error, loadingMore, loadMore, upsert, removeIds, refresh, polling: active && visible, live };
}
