// The signed-in user's checklist with a clone over the typed client: goals from memory and action items from session
// summaries, and ticking one.
import type { components, paths } from "../../api/schema";
import { createApiClient, data } from "../../api/typed";

export type ProgressList = components["schemas"]["Progress"];
export type ProgressItem = components["schemas"]["ProgressItem"];

const typed = createApiClient<paths>();

export const progressApi = {
  get: (cloneId: string, signal?: AbortSignal) =>
    data(typed.GET("/api/me/progress", { params: { query: { cloneId } }, ...(signal ? { signal } : {}) })),
  /** Ticks (done true) or unticks an item; 404 when it is not on the checklist. */
  set: (itemId: string, cloneId: string, done: boolean) =>
    data(typed.PUT("/api/me/progress/{itemId}", { params: { path: { itemId } }, body: { cloneId, done } })),
};
