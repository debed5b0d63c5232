import { BadgeCheck, ExternalLink } from "lucide-react";
import { useState, type FormEvent } from "react";
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
import type { AdminVerification, VerificationStatus } from "./api";
import { isWebLink, MAX_REASON } from "./moderation";
import { useAdminVerifications, useDecideVerification } from "./queries";

const PAGE_SIZE = 20;
const STATUSES: { value: VerificationStatus; label: string }[] = [
  { value: "pending", label: "Pending" },
  { value: "approved", label: "Approved" },
  { value: "rejected", label: "Rejected" },
];

/** The admin console's Verification tab: creators' requests with their evidence; approve or reject with a reason. */
export function AdminVerificationPage() {
  useTitle("Verification");
  return (
    <AdminOnly what="Only admins decide who is a verified expert.">
      <VerificationQueue />
    </AdminOnly>
  );
}

function VerificationQueue() {
  const [status, setStatus] = useState<VerificationStatus>("pending");
  const list = useAdminVerifications(status, PAGE_SIZE);
  return (
    <div>
      <PageHeader title="Verification" description="Creators asking to be verified experts. Check their evidence; every decision needs a reason and is audit-logged." />
      <StatusPicker value={status} options={STATUSES} onChange={setStatus} />
      {list.loading ? (
        <Loading />
      ) : list.error && list.items.length === 0 ? (
        <Alert tone="error" title="We couldn't load the requests">
          <p>{errorMessage(list.error)}</p>
        </Alert>
      ) : list.items.length === 0 ? (
        <Card className="flex items-center gap-3 p-5 text-sm text-slate-600">
          <BadgeCheck aria-hidden className="size-5 text-slate-400" />
          No {status} requests.
        </Card>
      ) : (
        <Card className="overflow-hidden">
          <ul aria-label={`${STATUSES.find((s) => s.value === status)!.label} verification requests`} className="divide-y divide-slate-100">
            {list.items.map((v) => (
              <li key={v.id}>
                <VerificationItem request={v} />
              </li>
            ))}
          </ul>
        </Card>
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

function VerificationItem({ request: v }: { request: AdminVerification }) {
  const decide = useDecideVerification();
  const [mode, setMode] = useState<"approve" | "reject" | null>(null);
  const [reason, setReason] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mode) decide.mutate({ id: v.id, approve: mode === "approve", reason: reason.trim() }, { onSuccess: () => setMode(null) });
  };
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
          <div className="flex flex-wrap gap-2">
            <Button size="sm" onClick={() => setMode("approve")}>
              Approve…
            </Button>
            <Button size="sm" variant="outline" onClick={() => setMode("reject")}>
              Reject…
            </Button>
          </div>
        ) : (
          <form onSubmit={submit} noValidate className="space-y-3 rounded-xl bg-slate-50 p-3">
            <Field
              label="Reason"
              hint={mode === "approve" ? "For the audit log." : "The creator is told this reason."}
              error={errorsFor(decide.error, "reason")}
            >
              {(props) => <Input {...props} value={reason} maxLength={MAX_REASON} onChange={(e) => setReason(e.target.value)} autoComplete="off" />}
            </Field>
            <FormProblem error={decide.error} shownFields={["reason"]} />
            <div className="flex flex-wrap gap-2">
              <Button type="submit" size="sm" variant={mode === "approve" ? "primary" : "danger"} loading={decide.isPending}>
                {mode === "approve" ? "Approve verification" : "Reject verification"}
              </Button>
              <Button type="button" size="sm" variant="ghost" onClick={() => (setMode(null), decide.reset())}>
                Cancel
              </Button>
            </div>
          </form>
        )
      ) : null}
    </div>
  );
}
