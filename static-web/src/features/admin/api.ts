// The admin console's API calls over the typed client: accounts, clones, the audit log, reading a conversation with a
// reason, and the signed-in user's own access log.
import type { Schemas } from "../../api/contract";
import type { paths } from "../../api/schema";
import { createApiClient, data } from "../../api/typed";

const typed = createApiClient<paths>();

export type AdminUser = Schemas["AdminUser"];
export type AdminClone = Schemas["AdminClone"];
export type AuditEntry = Schemas["AuditEntry"];
export type AccessLogEntry = Schemas["AccessLogEntry"];
/** The states the admin search filters on (deleted clones are never listed). */
export type AdminCloneStatus = "draft" | "published";

/** What an admin can do to a clone; each is a POST to /api/admin/clones/{id}/{action} with a reason. */
export type CloneAction = "unpublish" | "feature" | "unfeature" | "verify" | "unverify";

const page = (pageSize: number, continuationToken?: string | null) => ({ pageSize, continuationToken: continuationToken ?? undefined });

export const adminApi = {
  users: (q: string, pageSize: number, continuationToken?: string | null) =>
    data(typed.GET("/api/admin/users", { params: { query: { q: q || undefined, ...page(pageSize, continuationToken) } } })),
  disable: (userId: string, reason: string) =>
    data(typed.POST("/api/admin/users/{userId}/disable", { params: { path: { userId } }, body: { reason } })),
  enable: (userId: string, reason: string) =>
    data(typed.POST("/api/admin/users/{userId}/enable", { params: { path: { userId } }, body: { reason } })),
  setRoles: (userId: string, roles: { admin: boolean; creator: boolean }, reason: string) =>
    data(typed.PUT("/api/admin/users/{userId}/roles", { params: { path: { userId } }, body: { ...roles, reason } })),
  clones: (q: string, status: AdminCloneStatus | "", pageSize: number, continuationToken?: string | null) =>
    data(
      typed.GET("/api/admin/clones", {
        params: { query: { q: q || undefined, status: status || undefined, ...page(pageSize, continuationToken) } },
      }),
    ),
  cloneAction: (id: string, action: CloneAction, reason: string) => {
    const options = { params: { path: { id } }, body: { reason } };
    switch (action) {
      case "unpublish":
        return data(typed.POST("/api/admin/clones/{id}/unpublish", options));
      case "feature":
        return data(typed.POST("/api/admin/clones/{id}/feature", options));
      case "unfeature":
        return data(typed.POST("/api/admin/clones/{id}/unfeature", options));
      case "verify":
        return data(typed.POST("/api/admin/clones/{id}/verify", options));
      case "unverify":
        return data(typed.POST("/api/admin/clones/{id}/unverify", options));
    }
  },
  audit: (pageSize: number, continuationToken?: string | null, action?: string) =>
    data(typed.GET("/api/admin/audit", { params: { query: { action: action || undefined, ...page(pageSize, continuationToken) } } })),
  readSession: (sessionId: string, reason: string) =>
    data(typed.GET("/api/admin/sessions/{sessionId}", { params: { path: { sessionId }, query: { reason } } })),
  myAccessLog: () => data(typed.GET("/api/me/access-log")),
};
