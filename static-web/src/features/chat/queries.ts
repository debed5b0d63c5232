// Sessions through the data layer: my sessions, one session with its messages, the cited sources, and the writes (start,
// end, rate, export). Asking is not a cached read: the answer streams as server-sent events (sse.ts), so `useAsk` hands
// back the response to read.
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { api } from "../../api/client";
import type { ChatSession, DocumentText, ExportFormat, MessageInput, RatingInput, SessionDetail } from "../../api/contract";
import { usePagedList } from "../../lib/usePagedList";
import { walletKey } from "./billing";

export const sessionKeys = {
  list: ["sessions", "list"] as const,
  detail: (id: string) => ["sessions", "detail", id] as const,
  sourceText: (id: string, documentId: string, start: number, end: number | undefined) =>
    ["sessions", "detail", id, "sources", documentId, start, end ?? null] as const,
};

/** My sessions, newest first, a page at a time. */
export function useSessions(pageSize: number) {
  return usePagedList<ChatSession>(sessionKeys.list, (continuationToken) => api.sessions.list(pageSize, continuationToken));
}

/**
 * A session with its messages. It is not kept once the page is left (gcTime 0): opening it again reads it afresh, with
 * the messages of the last visit's answers.
 */
export function useSession(id: string) {
  return useQuery({
    queryKey: sessionKeys.detail(id),
    queryFn: ({ signal }) => api.sessions.get(id, signal),
    gcTime: 0,
  });
}

/** After a write that returned the session: the cached detail gets it, and the list reads again. */
export function sessionChanged(queryClient: QueryClient, session: ChatSession): void {
  queryClient.setQueryData<SessionDetail>(sessionKeys.detail(session.id), (detail) => (detail ? { ...detail, session } : detail));
  void queryClient.invalidateQueries({ queryKey: sessionKeys.list });
}

/** Starts a session with a clone (its pricing is snapshotted); the new session heads my sessions. */
export function useStartSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (cloneId: string) => api.sessions.start(cloneId),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: sessionKeys.list }),
  });
}

export function useEndSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.sessions.end(id),
    onSuccess: (session) => {
      sessionChanged(queryClient, session);
      void queryClient.invalidateQueries({ queryKey: walletKey }); // ending charges the last started minutes
    },
  });
}

export function useRateSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: RatingInput }) => api.sessions.rate(id, input),
    onSuccess: (session) => sessionChanged(queryClient, session),
  });
}

/** Downloads the transcript (with the bearer token) as Markdown or JSON. */
export function useExportSession() {
  return useMutation({
    mutationFn: ({ id, format }: { id: string; format: ExportFormat }) => api.sessions.export(id, format),
  });
}

/**
 * Asks in a session; resolves with the response to read as server-sent events (or a whole JSON answer). Problems found
 * before the first frame throw ApiError. The list of sessions reads again afterwards (counts, cost).
 */
export function useAsk() {
  const queryClient = useQueryClient();
  return useCallback(
    async (id: string, input: MessageInput, signal?: AbortSignal) => {
      try {
        return await api.sessions.ask(id, input, signal);
      } finally {
        void queryClient.invalidateQueries({ queryKey: sessionKeys.list });
        // Each question may have drawn from the wallet.
        void queryClient.invalidateQueries({ queryKey: walletKey });
      }
    },
    [queryClient],
  );
}

/** Reads a range of a document the session cited. */
export function useSourceText() {
  const queryClient = useQueryClient();
  return useCallback(
    (id: string, documentId: string, start: number, end: number | undefined, signal?: AbortSignal): Promise<DocumentText> =>
      queryClient.fetchQuery({
        queryKey: sessionKeys.sourceText(id, documentId, start, end),
        queryFn: ({ signal: querySignal }) => api.sessions.sourceText(id, documentId, start, end, signal ?? querySignal),
      }),
    [queryClient],
  );
}

export const recapKey = (id: string) => ["sessions", "detail", id, "summary"] as const;

/**
 * An ended session's summary: asked for again every few seconds (the Retry-After the API gives) while it is being written,
 * then kept. A session that gets none (404) is not asked again.
 */
export function useSessionRecap(id: string, enabled: boolean) {
  return useQuery({
    queryKey: recapKey(id),
    queryFn: ({ signal }) => api.sessions.summary(id, signal),
    enabled,
    retry: false,
    refetchInterval: (query) => (query.state.data?.pending ? Math.max(1, query.state.data.pending.retryAfterSeconds) * 1000 : false),
  });
}

/** Deletes a session; it leaves my sessions. */
export function useDeleteSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.sessions.remove(id),
    onSuccess: (_, id) => {
      queryClient.removeQueries({ queryKey: sessionKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: sessionKeys.list });
    },
  });
}
