// The data layer's cache (@tanstack/react-query): what is retried, how long answers stay fresh. The features' hooks
// (features/*/queries.ts) read and change data through it; pages never call the API client themselves.
import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./http";

/** Reads that fail are tried this many more times: a network failure or a 5xx, never a 4xx problem. */
export const READ_RETRIES = 2;

/** Whether a failed read is tried again: a 4xx problem says the same the next time, and a cancelled read is done. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= READ_RETRIES) return false;
  if (error instanceof DOMException && error.name === "AbortError") return false;
  if (error instanceof ApiError) return error.status === 0 || error.status >= 500;
  return false; // a bug, not the network: trying again changes nothing
}

/** 0.5 s, then 1 s, then up to 4 s. */
export function retryDelay(attempt: number): number {
  return Math.min(500 * 2 ** attempt, 4000);
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        retryDelay,
        // Pages read again when they open; a tab coming back to the front changes nothing (forms stay as typed).
        staleTime: 0,
        refetchOnWindowFocus: false,
      },
      // A write is sent once: one that timed out may have been done, and the user decides whether to send it again.
      mutations: { retry: false },
    },
  });
}
