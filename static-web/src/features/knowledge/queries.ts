// A clone's knowledge through the data layer: its stats, its documents (the live list is useDocuments.ts, kept in the
// same cache), a document's text, the search, and the writes. Every write marks the stats as stale; the list itself is
// updated in place by the tab (a new or changed document is put into it, a deleted one taken out), as the frames do.
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { api } from "../../api/client";
import type { UploadOptions } from "../../api/upload";
import type { BulkAction, DocumentQuery, DocumentStatus, DocumentText, DocumentUpdate, KnowledgeDocument, SearchMode } from "../../api/contract";

export interface DocumentFilters {
  status: DocumentStatus | "";
  tag: string;
}

export const knowledgeKeys = {
  all: (cloneId: string) => ["knowledge", cloneId] as const,
  stats: (cloneId: string) => ["knowledge", cloneId, "stats"] as const,
  documents: (cloneId: string, filters: DocumentFilters) => ["knowledge", cloneId, "documents", filters] as const,
  document: (cloneId: string, documentId: string) => ["knowledge", cloneId, "document", documentId] as const,
  text: (cloneId: string, documentId: string, start: number, end: number | undefined) =>
    ["knowledge", cloneId, "document", documentId, "text", start, end ?? null] as const,
  search: (cloneId: string, q: string, mode: SearchMode) => ["knowledge", cloneId, "search", q, mode] as const,
};

export function useKnowledgeStats(cloneId: string) {
  return useQuery({ queryKey: knowledgeKeys.stats(cloneId), queryFn: () => api.knowledge.stats(cloneId) });
}

/** The stats read again (a document came, went or changed state). */
export function statsChanged(queryClient: QueryClient, cloneId: string): void {
  void queryClient.invalidateQueries({ queryKey: knowledgeKeys.stats(cloneId) });
}

/** A page of documents (filters, page size, continuation token in `query`). */
export function fetchDocumentPage(cloneId: string, query: DocumentQuery, signal?: AbortSignal) {
  return api.documents.list(cloneId, query, signal);
}

/** One document, read now (and cached for the viewer). */
export function fetchDocument(queryClient: QueryClient, cloneId: string, documentId: string): Promise<KnowledgeDocument> {
  return queryClient.fetchQuery({
    queryKey: knowledgeKeys.document(cloneId, documentId),
    queryFn: () => api.documents.get(cloneId, documentId),
  });
}

export function useDocument(cloneId: string, documentId: string) {
  return useQuery({ queryKey: knowledgeKeys.document(cloneId, documentId), queryFn: () => api.documents.get(cloneId, documentId) });
}

/** Reads [start, end) of a document's extracted text (no end: up to 20,000 characters from start). */
export function useDocumentText() {
  const queryClient = useQueryClient();
  return useCallback(
    (cloneId: string, documentId: string, start: number, end?: number, signal?: AbortSignal): Promise<DocumentText> =>
      queryClient.fetchQuery({
        queryKey: knowledgeKeys.text(cloneId, documentId, start, end),
        queryFn: ({ signal: querySignal }) => api.documents.text(cloneId, documentId, start, end, signal ?? querySignal),
      }),
    [queryClient],
  );
}

/** Searches the clone's knowledge as its answers would (read afresh each time: documents change). */
export function useKnowledgeSearch() {
  const queryClient = useQueryClient();
  return useCallback(
    (cloneId: string, q: string, mode: SearchMode) =>
      queryClient.fetchQuery({
        queryKey: knowledgeKeys.search(cloneId, q, mode),
        queryFn: ({ signal }) => api.knowledge.search(cloneId, q, mode, 10, signal),
        staleTime: 0,
      }),
    [queryClient],
  );
}

/** The writes below make the stats read again and put the documents they return into the cache. */
function documentsChanged(queryClient: QueryClient, cloneId: string, docs: KnowledgeDocument[] = []): void {
  for (const doc of docs) queryClient.setQueryData(knowledgeKeys.document(cloneId, doc.id), doc);
  statsChanged(queryClient, cloneId);
  void queryClient.invalidateQueries({ queryKey: ["knowledge", cloneId, "search"] });
}

/** One file per call, with progress. */
export function useUploadDocument(cloneId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, tags, options }: { file: File; tags: string[]; options: UploadOptions }) =>
      api.documents.upload(cloneId, [file], tags, options),
    onSuccess: (result) => documentsChanged(queryClient, cloneId, result?.items ?? []),
  });
}

export function useImportUrl(cloneId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ url, tags }: { url: string; tags: string[] }) => api.documents.importUrl(cloneId, url, tags),
    onSuccess: (doc) => documentsChanged(queryClient, cloneId, [doc]),
  });
}

export function useUpdateDocument(cloneId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, update }: { id: string; update: DocumentUpdate }) => api.documents.update(cloneId, id, update),
    onSuccess: (doc) => documentsChanged(queryClient, cloneId, [doc]),
  });
}

export function useDeleteDocument(cloneId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.documents.remove(cloneId, id),
    onSuccess: (_, id) => {
      queryClient.removeQueries({ queryKey: knowledgeKeys.document(cloneId, id) });
      documentsChanged(queryClient, cloneId);
    },
  });
}

export function useReindexDocument(cloneId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.documents.reindex(cloneId, id),
    onSuccess: (doc) => documentsChanged(queryClient, cloneId, [doc]),
  });
}

/** Delete, re-index or tag many documents at once (at most 100 per call). */
export function useBulkDocuments(cloneId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, ids, tags }: { action: BulkAction; ids: string[]; tags?: string[] }) =>
      api.documents.bulk(cloneId, action, ids, tags),
    onSuccess: () => documentsChanged(queryClient, cloneId),
  });
}

/** Re-indexes every document of the clone (after the embedding model changed): resolves with how many and how many failed. */
export function useReindexAll(cloneId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const ids: string[] = [];
      let token: string | null = null;
      do {
        const page = await api.documents.list(cloneId, { pageSize: 100, continuationToken: token ?? undefined });
        ids.push(...page.items.map((d) => d.id));
        token = page.continuationToken;
      } while (token);
      let failed = 0;
      for (let i = 0; i < ids.length; i += 100) {
        const result = await api.documents.bulk(cloneId, "reindex", ids.slice(i, i + 100));
        failed += result.failed.length;
      }
      return { total: ids.length, failed };
    },
    onSettled: () => documentsChanged(queryClient, cloneId),
  });
}
