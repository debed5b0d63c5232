import { useInfiniteQuery, useQueryClient, type InfiniteData, type QueryKey } from "@tanstack/react-query";
import { useCallback } from "react";
import type { Page } from "../api/contract";

/** Items (by id) a page brings that the list does not show yet, appended in order. */
export function appendNew<T extends { id: string }>(current: readonly T[], more: readonly T[]): T[] {
  const seen = new Set(current.map((item) => item.id));
  return [...current, ...more.filter((item) => !seen.has(item.id))];
}

/** The items of all loaded pages, in order, without duplicates (an item can move between pages while the user reads). */
export function pagedItems<T extends { id: string }>(data: InfiniteData<Page<T>, unknown> | undefined): T[] {
  if (!data) return [];
  return data.pages.reduce<T[]>((items, page) => appendNew(items, page.items), []);
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
  /** Loads the first page again (the other pages are dropped). */
  reload: () => void;
}

/**
 * A list read a page at a time with continuation tokens, as every "Load more" list of the app is, cached under `queryKey`
 * (a new key loads its first page; a key seen before shows its pages at once and reads them again). `loadMore` appends the
 * next page without duplicates. `enabled: false` loads nothing.
 */
export function usePagedList<T extends { id: string }>(
  queryKey: QueryKey,
  fetchPage: (continuationToken: string | null, signal: AbortSignal) => Promise<Page<T>>,
  enabled = true,
): PagedList<T> {
  const queryClient = useQueryClient();
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => fetchPage(pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.continuationToken ?? undefined,
    enabled,
  });
  const { data, isPending, isFetching, isFetchingNextPage, error, hasNextPage, fetchNextPage } = query;
  const loading = enabled && !data && (isPending || isFetching);
  const items = pagedItems(data);
  const token = hasNextPage ? (data?.pages.at(-1)?.continuationToken ?? null) : null;

  const loadMore = useCallback(async () => {
    if (!hasNextPage) return;
    await fetchNextPage();
  }, [hasNextPage, fetchNextPage]);

  const reload = useCallback(() => void queryClient.resetQueries({ queryKey, exact: true }), [queryClient, queryKey]);

  return { items, token, loading, loadingMore: isFetchingNextPage, error: loading || isFetchingNextPage ? null : error, loadMore, reload };
}
