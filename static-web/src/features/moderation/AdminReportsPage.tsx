import { EyeOff, Flag } from "lucide-react";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { errorMessage } from "../../api/http";
import { Alert } from "../../components/ui/Alert";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Field } from "../../components/ui/Field";
import { errorsFor, FormProblem } from "../../components/ui/FormProblem";
import { Input } from "../../components/ui/Input";
import { Card, Loading, PageHeader } from "../../components/ui/States";
import { formatDateTime } from "../../lib/format";
import { useTitle } from "../../lib/useTitle";
import { AdminOnly, StatusPicker } from "./AdminOnly";
import type { AdminReport, ReportAction, ReportStatus } from "./api";
import { groupByClone, MAX_REASON, reasonLabel, type ReportGroup } from "./moderation";
import { useAdminReports, useResolveReport } from "./queries";

const PAGE_SIZE = 50;
const STATUSES: { value: ReportStatus; label: string }[] = [
  { value: "open", label: "Open" },
  { value: "upheld", label: "Upheld" },
  { value: "dismissed", label: "Dismissed" },
];

/** The admin console's Reports tab: reports grouped by clone, with dismiss, hide and restore, each with a reason. */
export function AdminReportsPage() {
  useTitle("Reports");
  return (
    <AdminOnly what="Only admins review reports of clones and answers.">
      <ReportQueue />
    </AdminOnly>
  );
}

function ReportQueue() {
  const [status, setStatus] = useState<ReportStatus>("open");
  const list = useAdminReports(status, PAGE_SIZE);
  const groups = groupByClone(list.items);
  return (
    <div>
      <PageHeader title="Reports" description="Reports of clones and answers, grouped by clone. Every decision needs a reason and is written to the audit log." />
      <StatusPicker value={status} options={STATUSES} onChange={setStatus} />
      {list.loading ? (
        <Loading />
      ) : list.error && list.items.length === 0 ? (
        <Alert tone="error" title="We couldn't load the reports">
          <p>{errorMessage(list.error)}</p>
          <Button variant="outline" size="sm" className="mt-3" onClick={list.reload}>
            Try again
          </Button>
        </Alert>
      ) : groups.length === 0 ? (
        <Card className="flex items-center gap-3 p-5 text-sm text-slate-600">
          <Flag aria-hidden className="size-5 text-slate-400" />
          No {status} reports.
        </Card>
      ) : (
        <ul aria-label={`${STATUSES.find((s) => s.value === status)!.label} reports by clone`} className="space-y-4">
          {groups.map((g) => (
            <li key={g.cloneId}>
              <CloneReports group={g} />
            </li>
          ))}
        </ul>
      )}
      {list.token ? (
        <div className="mt-4 flex justify-center">
          <Button variant="outline" loading={list.loadingMore} onClick={() => void list.loadMore()}>
            Load more
          </Button>
        </div>
      ) : null}
    </div>
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
        <span className="text-xs text-slate-500">
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
  const [reason, setReason] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (action) resolve.mutate({ reportId, action, reason: reason.trim() }, { onSuccess: () => (setAction(null), setReason("")) });
  };
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
    <form onSubmit={submit} noValidate className="space-y-3 rounded-xl bg-white p-3 ring-1 ring-slate-200">
      <Field label="Reason" hint={LABELS[action].hint} error={errorsFor(resolve.error, "reason")}>
        {(props) => <Input {...props} value={reason} maxLength={MAX_REASON} onChange={(e) => setReason(e.target.value)} autoComplete="off" />}
      </Field>
      <FormProblem error={resolve.error} shownFields={["reason"]} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" size="sm" variant={action === "hide" ? "danger" : "primary"} loading={resolve.isPending}>
          {LABELS[action].submit}
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={() => (setAction(null), resolve.reset())}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
