import { EyeOff, Flag } from "lucide-react";
import { useState } from "react";
import { Link } from "react-router";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { PagedFrame } from "../../components/ui/PagedList";
import { Card } from "../../components/ui/States";
import { statusLabel, type StatusOption } from "../../components/ui/StatusFilter";
import { formatDateTime } from "../../lib/format";
import type { PagedList } from "../../lib/usePagedList";
import { ReasonForm } from "../admin/ReasonDialog";
import { StatusQueue } from "../admin/StatusQueue";
import type { AdminReport, ReportAction, ReportStatus } from "./api";
import { groupByClone, reasonLabel, type ReportGroup } from "./moderation";
import { useAdminReports, useResolveReport } from "./queries";

const PAGE_SIZE = 50;
const STATUSES: StatusOption<ReportStatus>[] = [
  { value: "open", label: "Open" },
  { value: "upheld", label: "Upheld" },
  { value: "dismissed", label: "Dismissed" },
];

/** The admin console's Reports tab: reports grouped by clone, with dismiss, hide and restore, each with a reason. */
export function AdminReportsPage() {
  return (
    <StatusQueue
      adminsOnly="Only admins review reports of clones and answers."
      title="Reports"
      description="Reports of clones and answers, grouped by clone. Every decision needs a reason and is written to the audit log."
      statuses={STATUSES}
      initial="open"
      useList={useReports}
    >
      {(list, status) => <ReportGroups list={list} status={status} />}
    </StatusQueue>
  );
}

const useReports = (status: ReportStatus) => useAdminReports(status, PAGE_SIZE);

function ReportGroups({ list, status }: { list: PagedList<AdminReport>; status: ReportStatus }) {
  const groups = groupByClone(list.items);
  return (
    <PagedFrame
      list={list}
      what="the reports"
      isEmpty={groups.length === 0}
      empty={`No ${status} reports.`}
      emptyIcon={<Flag aria-hidden className="size-5 text-slate-400" />}
    >
      <ul aria-label={`${statusLabel(STATUSES, status)} reports by clone`} className="space-y-4">
        {groups.map((g) => (
          <li key={g.cloneId}>
            <CloneReports group={g} />
          </li>
        ))}
      </ul>
    </PagedFrame>
  );
}

function CloneReports({ group }: { group: ReportGroup }) {
  const c = group.clone;
  const first = group.reports[0]!;
  return (
    <Card className="overflow-hidden" >
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-100 p-4" data-testid="reported-clone">
        <div className="min-w-0">
          <h2 className="text-base font-semibold break-words text-slate-900">
            {c ? <Link to={`/clones/${encodeURIComponent(c.id)}`} className="hover:text-brand-700">{c.name}</Link> : "A deleted clone"}
          </h2>
          {c ? <p className="text-sm text-slate-600">by {c.ownerName || c.ownerId}</p> : null}
          {c ? (
            <p className="mt-1 text-xs text-slate-500">
              {c.openReports} open report{c.openReports === 1 ? "" : "s"} from {c.distinctReporters} user{c.distinctReporters === 1 ? "" : "s"}
            </p>
          ) : null}
        </div>
        {c?.hiddenAt ? (
          <Badge tone="warning">
            <EyeOff aria-hidden className="size-3" />
            Hidden since {formatDateTime(c.hiddenAt)}
          </Badge>
        ) : c ? (
          <Badge tone="success">Shown</Badge>
        ) : null}
      </div>
      {c?.hiddenReason ? <p className="border-b border-slate-100 bg-amber-50 px-4 py-2 text-xs text-amber-900">{c.hiddenReason}</p> : null}
      <ul aria-label="Reports" className="divide-y divide-slate-100">
        {group.reports.map((r) => (
          <li key={r.id}>
            <ReportItem report={r} />
          </li>
        ))}
      </ul>
      {c ? (
        <div className="border-t border-slate-100 bg-slate-50 p-4">
          <Decision reportId={first.id} actions={c.hiddenAt ? ["restore"] : ["hide"]} cloneName={c.name} />
        </div>
      ) : null}
    </Card>
  );
}

function ReportItem({ report: r }: { report: AdminReport }) {
  return (
    <div className="space-y-2 px-4 py-3 text-sm" data-testid="admin-report">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone="danger">{reasonLabel(r.reason)}</Badge>
        {r.messageId ? <Badge>An answer</Badge> : <Badge>The clone</Badge>}
        <span className="min-w-0 text-xs wrap-anywhere text-slate-500">
          {formatDateTime(r.createdAt)} · by {r.reporterName ?? r.reporterId}
        </span>
      </div>
      {r.details ? <p className="break-words whitespace-pre-wrap text-slate-800">{r.details}</p> : <p className="text-slate-500">No details given.</p>}
      {r.answerExcerpt ? (
        <blockquote className="rounded-lg border-l-4 border-slate-300 bg-slate-50 px-3 py-2 text-xs break-words whitespace-pre-wrap text-slate-700">
          {r.answerExcerpt}
        </blockquote>
      ) : null}
      {r.resolution ? (
        <p className="text-xs text-slate-600">
          {r.resolution} {r.resolvedAt ? `on ${formatDateTime(r.resolvedAt)}` : ""}: {r.resolutionReason}
        </p>
      ) : null}
      {r.status === "open" ? <Decision reportId={r.id} actions={["dismiss"]} /> : null}
    </div>
  );
}

const LABELS: Record<ReportAction, { open: string; submit: string; hint: string }> = {
  dismiss: { open: "Dismiss…", submit: "Dismiss report", hint: "Closes this report. A hidden clone stays hidden until you restore it." },
  hide: { open: "Hide clone…", submit: "Hide clone", hint: "Hides the clone from the marketplace and closes its open reports. The owner is emailed your note." },
  restore: { open: "Restore clone…", submit: "Restore clone", hint: "Shows the clone again and closes its open reports. The owner is emailed." },
};

function Decision({ reportId, actions, cloneName }: { reportId: string; actions: ReportAction[]; cloneName?: string }) {
  const resolve = useResolveReport();
  const [action, setAction] = useState<ReportAction | null>(null);
  if (action === null)
    return (
      <div className="flex flex-wrap gap-2">
        {actions.map((a) => (
          <Button key={a} size="sm" variant={a === "hide" ? "danger" : "outline"} onClick={() => setAction(a)} aria-label={cloneName ? `${LABELS[a].open.replace("…", "")} ${cloneName}` : undefined}>
            {LABELS[a].open}
          </Button>
        ))}
      </div>
    );
  return (
    <ReasonForm
      confirmLabel={LABELS[action].submit}
      destructive={action === "hide"}
      hint={LABELS[action].hint}
      onSubmit={(reason) => resolve.mutate({ reportId, action, reason }, { onSuccess: () => setAction(null) })}
      onCancel={() => (setAction(null), resolve.reset())}
      error={resolve.error}
      pending={resolve.isPending}
    />
  );
}
