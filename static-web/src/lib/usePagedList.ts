import { useCallback, useEffect, useRef, useState } from "react";
import type { Page } from "../api/types";

/** Items (by id) a page brings that the list does not show yet, appended in order. */
export function appendNew<T extends { id: string }>(current: readonly T[], more: readonly T[]): T[] {
  const seen = new Set(current.map((item) => item.id));
  return [...current, ...more.filter((item) => !seen.has(item.id))];
}

export interface PagedList<T> {
  items: T[];
  /** Where the next page starts; null on the last page. */
  token: string | null;
  /** The first page is on its way. */
  loading: boolean;
  loadingMore: boolean;
  /** The last failure, of the first page or of "Load more". */
  error: unknown;
  loadMore: () => Promise<void>;
  /** Loads the first page again. */
  reload: () => void;
}

/**
 * A list read a page at a time with continuation tokens, as every "Load more" list of the app is. The first page is
 * (re)loaded whenever `key` changes or `reload()` is called, cancelling a load still on its way; `loadMore` appends the next
 * page without duplicates (an item can move between pages while the user reads). `enabled: false` loads nothing.
 */
export function usePagedList<T extends { id: string }>(
  fetchPage: (continuationToken: string | null, signal: AbortSignal) => Promise<Page<T>>,
  key: string,
  enabled = true,
): PagedList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [token, setToken] = useState<string | null>(null);
  const [loading, setLoading] = useState(enabled);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  // The fetcher of the latest render, so that a new closure (new filters) does not itself trigger a load: `key` does.
  const fetchRef = useRef(fetchPage);
  useEffect(() => {
    fetchRef.current = fetchPage; // declared first: runs before the load below in the same commit
  });
  const firstPage = useRef<AbortController | null>(null);

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    firstPage.current = controller;
    setLoading(true);
    setError(null);
    fetchRef
      .current(null, controller.signal)
      .then((page) => {
        if (controller.signal.aborted) return;
        setItems(page.items);
        setToken(page.continuationToken);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        setError(e);
        setItems([]);
        setToken(null);
        setLoading(false);
      });
    return () => controller.abort();
  }, [key, enabled, generation]);

  const loadMore = useCallback(async () => {
    if (!token) return;
    const signal = firstPage.current?.signal;
    setLoadingMore(true);
    setError(null);
    try {
      const page = await fetchRef.current(token, signal ?? new AbortController().signal);
      if (signal?.aborted) return; // the list was reloaded meanwhile
      setItems((current) => appendNew(current, page.items));
      setToken(page.continuationToken);
    } catch (e) {
      if (!signal?.aborted) setError(e);
    } finally {
      setLoadingMore(false);
    }
  }, [token]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);

  return { items, token, loading, loadingMore, error, loadMore, reload };
}
