import { useState } from "react";
import { Alert } from "../../components/ui/Alert";
import { Field } from "../../components/ui/Field";
import { errorsFor } from "../../components/ui/FormProblem";
import { Input } from "../../components/ui/Input";
import { PagedListCard } from "../../components/ui/PagedList";
import { statusLabel, type StatusOption } from "../../components/ui/StatusFilter";
import { formatDateTime } from "../../lib/format";
import { formatMoney } from "../../lib/money";
import { ApproveOrReject, ReasonForm } from "../admin/ReasonDialog";
import { StatusQueue } from "../admin/StatusQueue";
import type { Payout, PayoutStatus } from "./api";
import { EmptyIcon, PayoutOutcome } from "./EarningsPage";
import { useAdminPayouts, useDecidePayout } from "./queries";

const PAGE_SIZE = 20;
const STATUSES: StatusOption<PayoutStatus>[] = [
  { value: "requested", label: "Requested" },
  { value: "paid", label: "Paid" },
  { value: "rejected", label: "Rejected" },
];

export function AdminPayoutsPage() {
  return (
    <StatusQueue
      adminsOnly="Only admins approve or reject creators' payouts."
      title="Payouts"
      description="Creators' payout requests: pay them and record the reference, or reject them with a reason."
      statuses={STATUSES}
      initial="requested"
      useList={usePayouts}
    >
      {(list, status) => (
        <PagedListCard list={list} label={`${statusLabel(STATUSES, status)} payouts`} empty={`No ${status} payouts.`} emptyIcon={<EmptyIcon />}>
          {(p) => <PayoutItem payout={p} />}
        </PagedListCard>
      )}
    </StatusQueue>
  );
}

const usePayouts = (status: PayoutStatus) => useAdminPayouts(status, PAGE_SIZE);

export function PayoutItem({ payout: p }: { payout: Payout }) {
  const decide = useDecidePayout();
  const [mode, setMode] = useState<"approve" | "reject" | null>(null);
  const [reference, setReference] = useState("");

  return (
    <div className="space-y-3 px-4 py-4 text-sm" data-testid="admin-payout">
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
        <div className="min-w-0">
          <p className="text-base font-semibold text-slate-900 tabular-nums">{formatMoney(p.amount, p.currency)}</p>
          <p className="truncate text-slate-700">{p.creatorName ?? p.creatorId}</p>
          <p className="text-xs text-slate-500">Requested {formatDateTime(p.createdAt)}</p>
        </div>
        <PayoutOutcome payout={p} />
      </div>
      {p.lastError ? (
        <Alert tone="error" title="The last attempt to pay failed">
          {p.lastError}
        </Alert>
      ) : null}
      {p.status === "requested" ? (
        mode === null ? (
          <ApproveOrReject onPick={setMode} />
        ) : (
          <ReasonForm
            confirmLabel={mode === "approve" ? "Mark paid" : "Reject payout"}
            destructive={mode === "reject"}
            hint="The creator sees it."
            askReason={mode === "reject"}
            fields={["reference"]}
            onSubmit={(reason) =>
              decide.mutate(mode === "approve" ? { payoutId: p.id, approve: true, reference: reference.trim() || undefined } : { payoutId: p.id, approve: false, reason })
            }
            onCancel={() => (setMode(null), decide.reset())}
            error={decide.error}
            pending={decide.isPending}
          >
            {mode === "approve" ? (
              <Field
                label="Payment reference"
                hint="What you paid it by (a bank transfer's id). With Stripe Connect, leave it empty: the transfer's id is recorded."
                error={errorsFor(decide.error, "reference")}
              >
                {(props) => <Input {...props} value={reference} onChange={(e) => setReference(e.target.value)} autoComplete="off" />}
              </Field>
            ) : null}
          </ReasonForm>
        )
      ) : null}
    </div>
  );
}
