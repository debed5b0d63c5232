// The user's memory and per-clone settings over the typed client: list, add, edit and delete items; read and replace a
// clone's settings (memory on or off, a style override). Only the signed-in user's own: the API serves no one else's.
import type { components, paths } from "../../api/schema";
import { createApiClient, data } from "../../api/typed";

export type MemoryItem = components["schemas"]["MemoryItem"];
export type MemoryKind = MemoryItem["kind"];
export type CloneSettings = components["schemas"]["CloneSettings"];
export type CloneStyle = components["schemas"]["CloneStyle"];
export type SessionSummaryRow = components["schemas"]["Session"];

const typed = createApiClient<paths>();
const memory = (memoryId: string) => ({ path: { memoryId } });
const clone = (id: string) => ({ path: { id } });

export const memoryApi = {
  list: () => data(typed.GET("/api/me/memories", { params: { query: {} } })),
  add: (kind: MemoryKind, text: string, cloneId: string | null) =>
    data(typed.POST("/api/me/memories", { body: { kind, text, ...(cloneId ? { cloneId } : {}) } })),
  update: (memoryId: string, change: { text?: string; kind?: MemoryKind }) =>
    data(typed.PATCH("/api/me/memories/{memoryId}", { params: memory(memoryId), body: change })),
  remove: async (memoryId: string) => {
    await data(typed.DELETE("/api/me/memories/{memoryId}", { params: memory(memoryId) }));
  },
  settings: (cloneId: string) => data(typed.GET("/api/me/clone-settings/{id}", { params: clone(cloneId) })),
  putSettings: (cloneId: string, memoryEnabled: boolean, style: CloneStyle | null) => {
    const input = style && (style.length || style.tone) ? { ...(style.length ? { length: style.length } : {}), ...(style.tone ? { tone: style.tone } : {}) } : undefined;
    return data(typed.PUT("/api/me/clone-settings/{id}", { params: clone(cloneId), body: { memoryEnabled, ...(input ? { style: input } : {}) } }));
  },
  /** The clones the user has talked to (from their newest sessions), to name the groups and offer their settings. */
  recentSessions: () => data(typed.GET("/api/sessions", { params: { query: { pageSize: 50 } } })),
};
