import { Banknote, Wallet } from "lucide-react";
import { useRef, useState, type FormEvent, type ReactNode } from "react";
import { Link } from "react-router";
import { errorMessage } from "../../api/http";
import { Alert } from "../../components/ui/Alert";
import { Badge } from "../../components/ui/Badge";
import { Button, buttonClasses } from "../../components/ui/Button";
import { Field } from "../../components/ui/Field";
import { errorsFor, FormProblem } from "../../components/ui/FormProblem";
import { Input } from "../../components/ui/Input";
import { PagedListCard } from "../../components/ui/PagedList";
import { Card, Loading, PageHeader } from "../../components/ui/States";
import { formatDateTime } from "../../lib/format";
import { formatMoney } from "../../lib/money";
import { useTitle } from "../../lib/useTitle";
import { useAuth } from "../auth/AuthProvider";
import { CreatorsOnly } from "../studio/StudioPage";
import type { Earnings, EarningsTransaction, Payout } from "./api";
import { canRequestPayout, checkPayoutAmount, newRequestKey } from "./payoutForm";
import { useEarnings, useEarningsTransactions, useMyPayouts, useRequestPayout } from "./queries";

const PAGE_SIZE = 20;

export function EarningsPage() {
  useTitle("Earnings");
  const { me } = useAuth();
  const isCreator = !!me && (me.isCreator || me.isAdmin || me.roles.includes("creator"));
  if (!isCreator) return <CreatorsOnly />;
  return <EarningsView />;
}

function EarningsView() {
  const earnings = useEarnings();
  return (
    <div>
      <PageHeader
        title="Earnings"
        description="What your clones earned, what you can be paid, and your payouts."
        actions={
          <Link to="/studio" className={buttonClasses("outline")}>
            Back to the Studio
          </Link>
        }
      />
      {earnings.isPending ? (
        <Loading label="Loading your earnings…" />
      ) : earnings.isError ? (
        <Alert tone="error" title="We couldn't load your earnings">
          <p>{errorMessage(earnings.error)}</p>
          <Button variant="outline" size="sm" className="mt-3" onClick={() => void earnings.refetch()}>
            Try again
          </Button>
        </Alert>
      ) : (
        <div className="space-y-8">
          <Totals earnings={earnings.data} />
          <div className="grid grid-cols-1 gap-8 lg:grid-cols-[minmax(0,1fr)_minmax(0,22rem)]">
            <ByClone earnings={earnings.data} />
            <RequestPayout earnings={earnings.data} />
          </div>
          <PayoutHistory />
          <Transactions />
        </div>
      )}
    </div>
  );
}

function Totals({ earnings: e }: { earnings: Earnings }) {
  return (
    <dl className="grid gap-4 sm:grid-cols-3" aria-label="Totals">
      <Stat label="Available" value={formatMoney(e.available, e.currency)} note="Yours to request as a payout" testId="available" />
      <Stat label="Pending" value={formatMoney(e.pending, e.currency)} note="Requested, waiting for approval" testId="pending" />
      <Stat label="Paid out" value={formatMoney(e.paidOut, e.currency)} note="Paid to you so far" testId="paid-out" />
    </dl>
  );
}

function Stat({ label, value, note, testId }: { label: string; value: string; note: string; testId: string }) {
  return (
    <Card className="p-5">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="mt-1 text-2xl font-bold tracking-tight text-slate-900 tabular-nums" data-testid={testId}>
        {value}
      </dd>
      <dd className="mt-1 text-xs text-slate-500">{note}</dd>
    </Card>
  );
}

function Section({ title, children, id }: { title: string; children: ReactNode; id: string }) {
  return (
    <section aria-labelledby={id} className="min-w-0">
      <h2 id={id} className="mb-3 text-lg font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </section>
  );
}

function ByClone({ earnings: e }: { earnings: Earnings }) {
  return (
    <Section title="By clone" id="by-clone">
      {e.byClone.length === 0 ? (
        <Card className="p-5 text-sm text-slate-600">No earnings yet. You earn your share of every paid session with your published clones.</Card>
      ) : (
        <Card className="overflow-hidden">
          {/* Fixed columns: a long clone name is cut short rather than widening the table past a phone's screen. */}
          <table className="w-full table-fixed text-xs sm:text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-left text-[0.7rem] font-semibold tracking-wide text-slate-500 uppercase sm:text-xs">
              <tr>
                <th scope="col" className="px-3 py-2.5 sm:px-4">Clone</th>
                <th scope="col" className="w-[22%] px-2 py-2.5 text-right sm:px-4">Earned</th>
                <th scope="col" className="w-[24%] px-2 py-2.5 text-right sm:px-4">Refunded</th>
                <th scope="col" className="w-[22%] px-3 py-2.5 text-right sm:px-4">Net</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {e.byClone.map((c) => (
                <tr key={c.cloneId}>
                  <th scope="row" className="truncate px-3 py-2.5 text-left font-medium text-slate-900 sm:px-4" title={c.cloneName}>
                    {c.cloneName}
                  </th>
                  <td className="px-2 py-2.5 text-right tabular-nums sm:px-4">{formatMoney(c.earned, e.currency)}</td>
                  <td className="px-2 py-2.5 text-right tabular-nums sm:px-4">{formatMoney(c.refunded, e.currency)}</td>
                  <td className="px-3 py-2.5 text-right font-semibold tabular-nums sm:px-4">{formatMoney(c.net, e.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </Section>
  );
}

export function RequestPayout({ earnings: e }: { earnings: Earnings }) {
  const request = useRequestPayout();
  const [text, setText] = useState("");
  const [check, setCheck] = useState<string | null>(null);
  const [done, setDone] = useState<Payout | null>(null);
  // One key per amount being requested: a retry after a network failure is the same payout.
  const key = useRef<{ amount: number; key: string } | null>(null);
  const possible = canRequestPayout(e.minPayout, e.available);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = checkPayoutAmount(text, e.currency, e.minPayout, e.available);
    if (!result.ok) {
      setCheck(result.message);
      return;
    }
    setCheck(null);
    if (key.current?.amount !== result.amount) key.current = { amount: result.amount, key: newRequestKey() };
    request.mutate(
      { amount: result.amount, idempotencyKey: key.current.key },
      {
        onSuccess: (payout) => {
          setDone(payout);
          setText("");
          key.current = null;
        },
      },
    );
  };

  const amountErrors = [...(check ? [check] : []), ...errorsFor(request.error, "amount")];
  return (
    <Section title="Request a payout" id="request-payout">
      <Card className="p-5">
        <form onSubmit={submit} noValidate className="space-y-4" aria-labelledby="request-payout">
          <p className="text-sm text-slate-600">
            The smallest payout is <strong data-testid="min-payout">{formatMoney(e.minPayout, e.currency)}</strong>. You can ask for up to{" "}
            <strong>{formatMoney(Math.max(0, e.available), e.currency)}</strong>.{" "}
            {e.payoutProvider === "stripe-connect" ? "It is sent to your connected Stripe account once approved." : "An admin pays it and records the payment."}
          </p>
          <Field label={`Amount (${e.currency})`} error={amountErrors.length ? amountErrors : undefined}>
            {(props) => (
              <Input
                {...props}
                inputMode="decimal"
                autoComplete="off"
                placeholder={formatMoney(e.minPayout, e.currency).replace(/[^\d.,]/g, "")}
                value={text}
                onChange={(event) => setText(event.target.value)}
                disabled={!possible}
              />
            )}
          </Field>
          <FormProblem error={request.error} shownFields={["amount"]} />
          {done ? (
            <Alert tone="success" title="Payout requested">
              {formatMoney(done.amount, done.currency)} is pending approval.
            </Alert>
          ) : null}
          <Button type="submit" className="w-full" loading={request.isPending} disabled={!possible}>
            <Banknote aria-hidden className="size-4" />
            Request payout
          </Button>
          {!possible ? <p className="text-xs text-slate-500">You can request a payout once you have at least the minimum available.</p> : null}
        </form>
      </Card>
    </Section>
  );
}

const statusTone = { requested: "warning", paid: "success", rejected: "danger" } as const;

export function PayoutStatusBadge({ status }: { status: Payout["status"] }) {
  return <Badge tone={statusTone[status]}>{status === "requested" ? "Pending" : status === "paid" ? "Paid" : "Rejected"}</Badge>;
}

/** A payout's status, with its reference once paid or the reason it was rejected. */
export function PayoutOutcome({ payout: p }: { payout: Payout }) {
  return (
    <div className="min-w-0 text-right">
      <PayoutStatusBadge status={p.status} />
      {p.reference ? <p className="mt-1 truncate text-xs text-slate-500">Reference {p.reference}</p> : null}
      {p.rejectionReason ? <p className="mt-1 text-xs break-words text-red-700">{p.rejectionReason}</p> : null}
    </div>
  );
}

/** The icon of an empty list of money movements. */
export function EmptyIcon() {
  return <Wallet aria-hidden className="size-5 text-slate-400" />;
}

function PayoutHistory() {
  const list = useMyPayouts(PAGE_SIZE);
  return (
    <Section title="Payouts" id="payout-history">
      <PagedListCard list={list} empty="No payouts yet." emptyIcon={<EmptyIcon />} label="Payouts">
        {(p: Payout) => (
          <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-3 text-sm" data-testid="payout-row">
            <div className="min-w-0">
              <p className="font-semibold text-slate-900 tabular-nums">{formatMoney(p.amount, p.currency)}</p>
              <p className="text-xs text-slate-500">Requested {formatDateTime(p.createdAt)}</p>
            </div>
            <PayoutOutcome payout={p} />
          </div>
        )}
      </PagedListCard>
    </Section>
  );
}

const typeLabels: Record<EarningsTransaction["type"], string> = {
  "session-charge": "Session",
  refund: "Refund",
  payout: "Payout",
  adjustment: "Payout returned",
  "top-up": "Top-up",
};

function Transactions() {
  const list = useEarningsTransactions(PAGE_SIZE);
  return (
    <Section title="Transactions" id="transactions">
      <PagedListCard list={list} empty="Nothing has moved your earnings yet." emptyIcon={<EmptyIcon />} label="Transactions">
        {(t: EarningsTransaction) => (
          <div className="flex items-center justify-between gap-4 px-4 py-3 text-sm">
            <div className="min-w-0">
              <p className="truncate font-medium text-slate-900">
                {typeLabels[t.type]}
                {t.cloneName ? <span className="font-normal text-slate-600"> · {t.cloneName}</span> : null}
              </p>
              <p className="text-xs text-slate-500">{formatDateTime(t.createdAt)}</p>
            </div>
            <p className={`shrink-0 font-semibold tabular-nums ${t.amount < 0 ? "text-slate-700" : "text-emerald-700"}`}>
              {t.amount > 0 ? "+" : ""}
              {formatMoney(t.amount, t.currency)}
            </p>
          </div>
        )}
      </PagedListCard>
    </Section>
  );
}
