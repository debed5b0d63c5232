// The admin console's data: react-query hooks over api.ts. Every action invalidates its list and the audit log.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePagedList } from "../../lib/usePagedList";
import { adminApi, type AdminClone, type AdminCloneStatus, type AdminUser, type AuditEntry, type CloneAction } from "./api";

export const adminKeys = {
  users: (q: string) => ["admin", "users", q] as const,
  clones: (q: string, status: string) => ["admin", "clones", q, status] as const,
  audit: (action: string) => ["admin", "audit", action] as const,
  accessLog: ["me", "access-log"] as const,
};

export function useAdminUsers(q: string, pageSize: number) {
  return usePagedList<AdminUser>(adminKeys.users(q), (token) => adminApi.users(q, pageSize, token));
}

export function useAdminClones(q: string, status: AdminCloneStatus | "", pageSize: number) {
  return usePagedList<AdminClone>(adminKeys.clones(q, status), (token) => adminApi.clones(q, status, pageSize, token));
}

export function useAuditLog(pageSize: number, action = "") {
  return usePagedList<AuditEntry>(adminKeys.audit(action), (token) => adminApi.audit(pageSize, token, action));
}

export function useMyAccessLog() {
  return useQuery({ queryKey: adminKeys.accessLog, queryFn: adminApi.myAccessLog });
}

export type UserAction =
  | { kind: "disable"; userId: string; reason: string }
  | { kind: "enable"; userId: string; reason: string }
  | { kind: "roles"; userId: string; reason: string; admin: boolean; creator: boolean };

export function useUserAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (a: UserAction) =>
      a.kind === "disable"
        ? adminApi.disable(a.userId, a.reason)
        : a.kind === "enable"
          ? adminApi.enable(a.userId, a.reason)
          : adminApi.setRoles(a.userId, { admin: a.admin, creator: a.creator }, a.reason),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ["admin", "users"] });
      void client.invalidateQueries({ queryKey: ["admin", "audit"] });
    },
  });
}

export function useCloneAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, reason }: { id: string; action: CloneAction; reason: string }) => adminApi.cloneAction(id, action, reason),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ["admin", "clones"] });
      void client.invalidateQueries({ queryKey: ["admin", "audit"] });
      void client.invalidateQueries({ queryKey: ["clones"] });
    },
  });
}

/** A read is an action (it is audit-logged each time), so it is a mutation, never a cached query. */
export function useReadSession() {
  return useMutation({
    mutationFn: ({ sessionId, reason }: { sessionId: string; reason: string }) => adminApi.readSession(sessionId, reason),
  });
}
