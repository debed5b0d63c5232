// Moderation over the typed client: reports, the admins' report queue, verification requests and creator profiles.
import type { Schemas } from "../../api/contract";
import type { paths } from "../../api/schema";
import { createApiClient, data } from "../../api/typed";

const typed = createApiClient<paths>();

export type Report = Schemas["Report"];
export type ReportReason = Schemas["CreateReportRequest"]["reason"];
export type ReportInput = Schemas["CreateReportRequest"];
export type AdminReport = Schemas["AdminReport"];
export type ReportStatus = AdminReport["status"];
export type ReportAction = Schemas["ResolveReportRequest"]["action"];
export type ReportedClone = Schemas["ReportedClone"];
export type Verification = Schemas["Verification"];
export type MyVerification = Schemas["MyVerification"];
export type AdminVerification = Schemas["AdminVerification"];
export type VerificationStatus = AdminVerification["status"];
export type CreatorProfile = Schemas["CreatorProfile"];

const page = (pageSize: number, continuationToken?: string | null) => ({ pageSize, continuationToken: continuationToken ?? undefined });

export const moderationApi = {
  /** 201 for a new report, 200 with the same report when the caller's open report already exists. */
  report: (cloneId: string, input: ReportInput) => data(typed.POST("/api/clones/{id}/reports", { params: { path: { id: cloneId } }, body: input })),
  myVerification: () => data(typed.GET("/api/me/verification")),
  requestVerification: (links: string[], statement: string) => data(typed.POST("/api/me/verification", { body: { links, statement } })),
  creator: (creatorId: string) => data(typed.GET("/api/creators/{creatorId}", { params: { path: { creatorId } } })),
};

export const adminModerationApi = {
  reports: (status: ReportStatus, pageSize: number, continuationToken?: string | null) =>
    data(typed.GET("/api/admin/reports", { params: { query: { status, ...page(pageSize, continuationToken) } } })),
  resolve: (reportId: string, action: ReportAction, reason: string) =>
    data(typed.POST("/api/admin/reports/{reportId}/resolve", { params: { path: { reportId } }, body: { action, reason } })),
  verifications: (status: VerificationStatus, pageSize: number, continuationToken?: string | null) =>
    data(typed.GET("/api/admin/verifications", { params: { query: { status, ...page(pageSize, continuationToken) } } })),
  approve: (verificationId: string, reason: string) =>
    data(typed.POST("/api/admin/verifications/{verificationId}/approve", { params: { path: { verificationId } }, body: { reason } })),
  reject: (verificationId: string, reason: string) =>
    data(typed.POST("/api/admin/verifications/{verificationId}/reject", { params: { path: { verificationId } }, body: { reason } })),
};
