// Clones through the data layer: the category list, one clone, the marketplace search, my clones, and the Studio's writes.
// A write puts the clone it got back into the cache and marks the lists that show clones as stale.
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import type { Category, Clone, CloneInput, CloneQuery } from "../../api/contract";
import { usePagedList } from "../../lib/usePagedList";

export const cloneKeys = {
  all: ["clones"] as const,
  categories: ["categories"] as const,
  /** By id or slug, as the address has it. */
  detail: (idOrSlug: string) => ["clones", "detail", idOrSlug] as const,
  search: (query: CloneQuery) => ["clones", "search", query] as const,
  mine: ["me", "clones"] as const,
};

/** The category list: read once per page load. */
export function useCategories(): { categories: Category[]; error: boolean; categoryName: (id: string) => string } {
  const query = useQuery({ queryKey: cloneKeys.categories, queryFn: () => api.categories(), staleTime: Infinity });
  const categories = query.data ?? [];
  const categoryName = (id: string) => categories.find((c) => c.id === id)?.name ?? id;
  return { categories, error: query.isError, categoryName };
}

/** One clone by id or slug; null reads nothing (a new clone, or while the signed-in state is still unknown). */
export function useClone(idOrSlug: string | null) {
  return useQuery({
    queryKey: cloneKeys.detail(idOrSlug ?? ""),
    queryFn: () => api.clones.get(idOrSlug ?? ""),
    enabled: idOrSlug !== null,
  });
}

/** The marketplace, a page at a time; `enabled: false` while the filters have problems. */
export function useCloneSearch(query: CloneQuery, enabled: boolean) {
  return usePagedList<Clone>(
    cloneKeys.search(query),
    (continuationToken, signal) => api.clones.search(continuationToken ? { ...query, continuationToken } : query, signal),
    enabled,
  );
}

/** The signed-in creator's clones, a page at a time. */
export function useMyClones(pageSize: number) {
  return usePagedList<Clone>(cloneKeys.mine, (continuationToken) => api.me.clones(pageSize, continuationToken));
}

/** After a write: the clone as the API returned it, under its id and slug; the lists showing clones read again. */
export function cloneChanged(queryClient: QueryClient, clone: Clone): void {
  queryClient.setQueryData(cloneKeys.detail(clone.id), clone);
  queryClient.setQueryData(cloneKeys.detail(clone.slug), clone);
  void queryClient.invalidateQueries({ queryKey: ["clones", "search"] });
  void queryClient.invalidateQueries({ queryKey: cloneKeys.mine });
}

/** After a delete: the clone leaves the cache (read again it would be a 404), the lists read again. */
export function cloneRemoved(queryClient: QueryClient, clone: Pick<Clone, "id" | "slug">): void {
  queryClient.removeQueries({ queryKey: cloneKeys.detail(clone.id), exact: true });
  queryClient.removeQueries({ queryKey: cloneKeys.detail(clone.slug), exact: true });
  void queryClient.invalidateQueries({ queryKey: ["clones", "search"] });
  void queryClient.invalidateQueries({ queryKey: cloneKeys.mine });
}

/** Creates a clone (no id) or patches one. */
export function useSaveClone() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string | null; input: CloneInput }) => (id ? api.clones.update(id, input) : api.clones.create(input)),
    onSuccess: (clone) => cloneChanged(queryClient, clone),
  });
}

export function useUploadCloneAvatar() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, file }: { id: string; file: Blob }) => api.clones.uploadAvatar(id, file),
    onSuccess: (clone) => cloneChanged(queryClient, clone),
  });
}

export function usePublishClone() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.clones.publish(id),
    onSuccess: (clone) => cloneChanged(queryClient, clone),
  });
}

export function useUnpublishClone() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.clones.unpublish(id),
    onSuccess: (clone) => cloneChanged(queryClient, clone),
  });
}

export function useDeleteClone() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (clone: Pick<Clone, "id" | "slug">) => api.clones.remove(clone.id),
    onSuccess: (_, clone) => cloneRemoved(queryClient, clone),
  });
}
