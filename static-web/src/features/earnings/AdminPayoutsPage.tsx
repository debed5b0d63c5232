import { ShieldAlert } from "lucide-react";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { Alert } from "../../components/ui/Alert";
import { Button, buttonClasses } from "../../components/ui/Button";
import { Field } from "../../components/ui/Field";
import { errorsFor, FormProblem } from "../../components/ui/FormProblem";
import { Input } from "../../components/ui/Input";
import { EmptyState, PageHeader } from "../../components/ui/States";
import { cn } from "../../lib/cn";
import { formatDateTime } from "../../lib/format";
import { formatMoney } from "../../lib/money";
import { useTitle } from "../../lib/useTitle";
import { useAuth } from "../auth/AuthProvider";
import type { Payout, PayoutStatus } from "./api";
import { Paged, PayoutStatusBadge } from "./EarningsPage";
import { useAdminPayouts, useDecidePayout } from "./queries";

const PAGE_SIZE = 20;
const STATUSES: { value: PayoutStatus; label: string }[] = [
  { value: "requested", label: "Requested" },
  { value: "paid", label: "Paid" },
  { value: "rejected", label: "Rejected" },
];

export function AdminPayoutsPage() {
  useTitle("Payouts");
  const { me } = useAuth();
  if (!me?.isAdmin)
    return (
      <EmptyState
        icon={<ShieldAlert className="size-6" />}
        title="Payouts are for admins"
        action={
          <Link to="/" className={buttonClasses("primary")}>
            Go to the marketplace
          </Link>
        }
      >
        Only admins approve or reject creators' payouts.
      </EmptyState>
    );
  return <PayoutQueue />;
}

function PayoutQueue() {
  const [status, setStatus] = useState<PayoutStatus>("requested");
  const list = useAdminPayouts(status, PAGE_SIZE);
  return (
    <div>
      <PageHeader title="Payouts" description="Creators' payout requests: pay them and record the reference, or reject them with a reason." />
      <div role="group" aria-label="Status" className="mb-6 inline-flex rounded-xl border border-slate-200 bg-white p-1">
        {STATUSES.map((s) => (
          <button
            key={s.value}
            type="button"
            aria-pressed={status === s.value}
            onClick={() => setStatus(s.value)}
            className={cn(
              "rounded-lg px-3 py-1.5 text-sm font-medium",
              status === s.value ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100",
            )}
          >
            {s.label}
          </button>
        ))}
      </div>
      <Paged list={list} empty={`No ${status} payouts.`} label={`${STATUSES.find((s) => s.value === status)!.label} payouts`}>
        {(p: Payout) => <PayoutItem payout={p} />}
      </Paged>
    </div>
  );
}

export function PayoutItem({ payout: p }: { payout: Payout }) {
  const decide = useDecidePayout();
  const [mode, setMode] = useState<"approve" | "reject" | null>(null);
  const [reference, setReference] = useState("");
  const [reason, setReason] = useState("");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mode === "approve") decide.mutate({ payoutId: p.id, approve: true, reference: reference.trim() || undefined });
    else if (mode === "reject") decide.mutate({ payoutId: p.id, approve: false, reason: reason.trim() });
  };

  return (
    <div className="space-y-3 px-4 py-4 text-sm" data-testid="admin-payout">
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
        <div className="min-w-0">
          <p className="text-base font-semibold text-slate-900 tabular-nums">{formatMoney(p.amount, p.currency)}</p>
          <p className="truncate text-slate-700">{p.creatorName ?? p.creatorId}</p>
          <p className="text-xs text-slate-500">Requested {formatDateTime(p.createdAt)}</p>
        </div>
        <div className="min-w-0 text-right">
          <PayoutStatusBadge status={p.status} />
          {p.reference ? <p className="mt-1 truncate text-xs text-slate-500">Reference {p.reference}</p> : null}
          {p.rejectionReason ? <p className="mt-1 text-xs text-red-700">{p.rejectionReason}</p> : null}
        </div>
      </div>
      {p.lastError ? (
        <Alert tone="error" title="The last attempt to pay failed">
          {p.lastError}
        </Alert>
      ) : null}
      {p.status === "requested" ? (
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
            {mode === "approve" ? (
              <Field
                label="Payment reference"
                hint="What you paid it by (a bank transfer's id). With Stripe Connect, leave it empty: the transfer's id is recorded."
                error={errorsFor(decide.error, "reference")}
              >
                {(props) => <Input {...props} value={reference} onChange={(e) => setReference(e.target.value)} autoComplete="off" />}
              </Field>
            ) : (
              <Field label="Reason" hint="The creator sees it." error={errorsFor(decide.error, "reason")}>
                {(props) => <Input {...props} value={reason} onChange={(e) => setReason(e.target.value)} autoComplete="off" />}
              </Field>
            )}
            <FormProblem error={decide.error} shownFields={["reference", "reason"]} />
            <div className="flex flex-wrap gap-2">
              <Button type="submit" size="sm" variant={mode === "approve" ? "primary" : "danger"} loading={decide.isPending}>
                {mode === "approve" ? "Mark paid" : "Reject payout"}
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
