import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../../api/client";
import type { DocumentStatus, KnowledgeDocument } from "../../api/types";

export const PAGE_SIZE = 25;
export const POLL_MS = 1500;

export interface DocumentFilters {
  status: DocumentStatus | "";
  tag: string;
}

export function isInFlight(doc: KnowledgeDocument): boolean {
  return doc.status === "uploaded" || doc.status === "processing";
}

function matches(doc: KnowledgeDocument, filters: DocumentFilters): boolean {
  if (filters.status && doc.status !== filters.status) return false;
  if (filters.tag && !doc.tags.some((t) => t.toLowerCase() === filters.tag.toLowerCase())) return false;
  return true;
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

/**
 * The clone's documents, page by page, filtered; while any shown document is still being ingested the first
 * page is polled every 1.5 s (not in a hidden tab) and merged in, so statuses update live.
 */
export function useDocuments(cloneId: string, filters: DocumentFilters, onChanged?: () => void) {
  const [items, setItems] = useState<KnowledgeDocument[] | null>(null);
  const [token, setToken] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [reload, setReload] = useState(0);
  const pages = useRef(1);
  const itemsRef = useRef<KnowledgeDocument[] | null>(null);
  itemsRef.current = items;
  const onChangedRef = useRef(onChanged);
  onChangedRef.current = onChanged;
  const visible = usePageVisible();
  const { status, tag } = filters;

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    api.documents
      .list(cloneId, { status: status || undefined, tag: tag || undefined, pageSize: PAGE_SIZE }, controller.signal)
      .then((page) => {
        pages.current = 1;
        setItems(page.items);
        setToken(page.continuationToken);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e);
      });
    return () => controller.abort();
  }, [cloneId, status, tag, reload]);

  const active = items?.some(isInFlight) ?? false;

  useEffect(() => {
    if (!active || !visible) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const page = await api.documents.list(
          cloneId,
          { status: status || undefined, tag: tag || undefined, pageSize: PAGE_SIZE },
          controller.signal,
        );
        const current = itemsRef.current ?? [];
        let next: KnowledgeDocument[];
        if (pages.current <= 1) {
          next = page.items;
          setToken(page.continuationToken);
        } else {
          // More pages are loaded: update what the first page knows, keep the rest, add the new ones on top.
          const fresh = new Map(page.items.map((d) => [d.id, d]));
          const known = new Set(current.map((d) => d.id));
          next = [...page.items.filter((d) => !known.has(d.id)), ...current.map((d) => fresh.get(d.id) ?? d)];
          const stale = next.filter((d) => isInFlight(d) && !fresh.has(d.id)).slice(0, 10);
          if (stale.length) {
            const updated = await Promise.all(stale.map((d) => api.documents.get(cloneId, d.id).catch(() => d)));
            const byId = new Map(updated.map((d) => [d.id, d]));
            next = next.map((d) => byId.get(d.id) ?? d).filter((d) => matches(d, { status, tag }));
          }
        }
        if (controller.signal.aborted) return;
        if (fingerprint(next) !== fingerprint(current)) {
          setItems(next);
          onChangedRef.current?.();
        }
      } catch {
        // A missed poll is retried on the next tick.
      }
      if (!controller.signal.aborted) timer = setTimeout(() => void poll(), POLL_MS);
    };
    timer = setTimeout(() => void poll(), POLL_MS);
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [active, visible, cloneId, status, tag]);

  const loadMore = useCallback(async () => {
    if (!token) return;
    setLoadingMore(true);
    try {
      const page = await api.documents.list(cloneId, {
        status: status || undefined,
        tag: tag || undefined,
        pageSize: PAGE_SIZE,
        continuationToken: token,
      });
      pages.current += 1;
      setItems((current) => {
        const known = new Set((current ?? []).map((d) => d.id));
        return [...(current ?? []), ...page.items.filter((d) => !known.has(d.id))];
      });
      setToken(page.continuationToken);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingMore(false);
    }
  }, [cloneId, status, tag, token]);

  /** Puts new or changed documents into the list (new ones on top), if they pass the filters. */
  const upsert = useCallback(
    (docs: KnowledgeDocument[]) => {
      setItems((current) => {
        let next = current ?? [];
        for (const doc of docs) {
          const index = next.findIndex((d) => d.id === doc.id);
          const { duplicate: _duplicate, ...clean } = doc;
          if (index >= 0) next = next.map((d, i) => (i === index ? clean : d)).filter((d) => matches(d, { status, tag }));
          else if (matches(doc, { status, tag })) next = [clean, ...next];
        }
        return next;
      });
    },
    [status, tag],
  );

  const removeIds = useCallback((ids: string[]) => {
    const gone = new Set(ids);
    setItems((current) => (current ? current.filter((d) => !gone.has(d.id)) : current));
  }, []);

  const refresh = useCallback(() => setReload((n) => n + 1), []);

  return { items, token, error, loadingMore, loadMore, upsert, removeIds, refresh, polling: active && visible };
}
