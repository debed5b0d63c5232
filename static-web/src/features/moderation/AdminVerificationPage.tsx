import { BadgeCheck, ExternalLink } from "lucide-react";
import { useState } from "react";
import { Badge } from "../../components/ui/Badge";
import { PagedListCard } from "../../components/ui/PagedList";
import { statusLabel, type StatusOption } from "../../components/ui/StatusFilter";
import { formatDateTime } from "../../lib/format";
import { ApproveOrReject, ReasonForm } from "../admin/ReasonDialog";
import { StatusQueue } from "../admin/StatusQueue";
import type { AdminVerification, VerificationStatus } from "./api";
import { isWebLink } from "./moderation";
import { useAdminVerifications, useDecideVerification } from "./queries";

const PAGE_SIZE = 20;
const STATUSES: StatusOption<VerificationStatus>[] = [
  { value: "pending", label: "Pending" },
  { value: "approved", label: "Approved" },
  { value: "rejected", label: "Rejected" },
];

/** The admin console's Verification tab: creators' requests with their evidence; approve or reject with a reason. */
export function AdminVerificationPage() {
  return (
    <StatusQueue
      adminsOnly="Only admins decide who is a verified expert."
      title="Verification"
      description="Creators asking to be verified experts. Check their evidence; every decision needs a reason and is audit-logged."
      statuses={STATUSES}
      initial="pending"
      useList={useRequests}
    >
      {(list, status) => (
        <PagedListCard
          list={list}
          label={`${statusLabel(STATUSES, status)} verification requests`}
          what="the requests"
          empty={`No ${status} requests.`}
          emptyIcon={<BadgeCheck aria-hidden className="size-5 text-slate-400" />}
        >
          {(v) => <VerificationItem request={v} />}
        </PagedListCard>
      )}
    </StatusQueue>
  );
}

const useRequests = (status: VerificationStatus) => useAdminVerifications(status, PAGE_SIZE);

function VerificationItem({ request: v }: { request: AdminVerification }) {
  const decide = useDecideVerification();
  const [mode, setMode] = useState<"approve" | "reject" | null>(null);
  return (
    <div className="space-y-3 px-4 py-4 text-sm" data-testid="admin-verification">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="text-base font-semibold break-words text-slate-900">{v.displayName ?? v.userId}</p>
          {v.email ? <p className="break-all text-slate-600">{v.email}</p> : null}
          <p className="text-xs text-slate-500">Asked {formatDateTime(v.createdAt)}</p>
        </div>
        <Badge tone={v.status === "approved" ? "success" : v.status === "rejected" ? "danger" : "warning"}>{v.status}</Badge>
      </div>
      {v.bio ? <p className="break-words text-slate-700">{v.bio}</p> : null}
      {v.expertise.length ? (
        <div className="flex flex-wrap gap-1.5">
          {v.expertise.map((e) => (
            <Badge key={e}>{e}</Badge>
          ))}
        </div>
      ) : null}
      <div>
        <p className="font-medium text-slate-800">Evidence</p>
        <ul className="mt-1 space-y-1">
          {v.links.map((l) => (
            <li key={l} className="break-all">
              {isWebLink(l) ? (
                <a href={l} target="_blank" rel="noopener noreferrer nofollow" className="inline-flex items-center gap-1 text-brand-700 underline">
                  {l}
                  <ExternalLink aria-hidden className="size-3" />
                  <span className="sr-only">(opens in a new tab)</span>
                </a>
              ) : (
                l
              )}
            </li>
          ))}
        </ul>
        <p className="mt-2 break-words whitespace-pre-wrap text-slate-700">{v.statement}</p>
      </div>
      {v.decisionReason ? <p className="text-xs text-slate-600">Decision: {v.decisionReason}</p> : null}
      {v.status === "pending" ? (
        mode === null ? (
          <ApproveOrReject onPick={setMode} />
        ) : (
          <ReasonForm
            confirmLabel={mode === "approve" ? "Approve verification" : "Reject verification"}
            destructive={mode === "reject"}
            hint={mode === "approve" ? "For the audit log." : "The creator is told this reason."}
            onSubmit={(reason) => decide.mutate({ id: v.id, approve: mode === "approve", reason }, { onSuccess: () => setMode(null) })}
            onCancel={() => (setMode(null), decide.reset())}
            error={decide.error}
            pending={decide.isPending}
          />
        )
      ) : null}
    </div>
  );
}
