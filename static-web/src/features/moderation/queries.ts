// Moderation's data layer: react-query hooks over api.ts. A decision invalidates the lists and clones it changes.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePagedList } from "../../lib/usePagedList";
import { cloneKeys } from "../clones/queries";
import {
  adminModerationApi,
  moderationApi,
  type AdminReport,
  type AdminVerification,
  type ReportAction,
  type ReportInput,
  type ReportStatus,
  type VerificationStatus,
} from "./api";

export const moderationKeys = {
  myVerification: ["me", "verification"] as const,
  creator: (id: string) => ["creators", id] as const,
  reports: (status: ReportStatus) => ["admin", "reports", status] as const,
  verifications: (status: VerificationStatus) => ["admin", "verifications", status] as const,
};

export function useReportClone() {
  return useMutation({ mutationFn: ({ cloneId, input }: { cloneId: string; input: ReportInput }) => moderationApi.report(cloneId, input) });
}

export function useMyVerification(enabled = true) {
  return useQuery({ queryKey: moderationKeys.myVerification, queryFn: moderationApi.myVerification, enabled });
}

export function useRequestVerification() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ links, statement }: { links: string[]; statement: string }) => moderationApi.requestVerification(links, statement),
    onSettled: () => client.invalidateQueries({ queryKey: moderationKeys.myVerification }),
  });
}

export function useCreator(id: string) {
  return useQuery({ queryKey: moderationKeys.creator(id), queryFn: () => moderationApi.creator(id), enabled: id !== "" });
}

export function useAdminReports(status: ReportStatus, pageSize: number) {
  return usePagedList<AdminReport>(moderationKeys.reports(status), (token) => adminModerationApi.reports(status, pageSize, token));
}

export function useResolveReport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ reportId, action, reason }: { reportId: string; action: ReportAction; reason: string }) => adminModerationApi.resolve(reportId, action, reason),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ["admin", "reports"] });
      void client.invalidateQueries({ queryKey: cloneKeys.all });
    },
  });
}

export function useAdminVerifications(status: VerificationStatus, pageSize: number) {
  return usePagedList<AdminVerification>(moderationKeys.verifications(status), (token) => adminModerationApi.verifications(status, pageSize, token));
}

export function useDecideVerification() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, approve, reason }: { id: string; approve: boolean; reason: string }) =>
      approve ? adminModerationApi.approve(id, reason) : adminModerationApi.reject(id, reason),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ["admin", "verifications"] });
      void client.invalidateQueries({ queryKey: cloneKeys.all });
    },
  });
}
