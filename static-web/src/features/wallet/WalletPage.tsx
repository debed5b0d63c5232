import { ArrowDownLeft, ArrowUpRight, FileText, Receipt } from "lucide-react";
import { Link, useLocation, useNavigate } from "react-router";
import { errorMessage } from "../../api/http";
import { Alert } from "../../components/ui/Alert";
import { Button, buttonClasses } from "../../components/ui/Button";
import { Card, EmptyState, Loading, PageHeader } from "../../components/ui/States";
import { cn } from "../../lib/cn";
import { formatDateTime } from "../../lib/format";
import { formatMoney } from "../../lib/money";
import { useTitle } from "../../lib/useTitle";
import type { TopUp, WalletTransaction } from "./api";
import { useWallet, useWalletTransactions } from "./queries";
import { TopUpForm } from "./TopUpForm";

const PAGE_SIZE = 20;

/** What the checkout page hands back after a payment. */
export interface WalletLocationState {
  toppedUp?: { amount: number; currency: string };
}

/** Where a top-up is paid: the TEST MODE page of this app, or the provider's own checkout. */
export function checkoutPath(topUp: TopUp): string | null {
  if (topUp.provider === "test") return `/checkout/${encodeURIComponent(topUp.id)}`;
  return null;
}

export function WalletPage() {
  useTitle("Wallet");
  const navigate = useNavigate();
  const location = useLocation();
  const toppedUp = (location.state as WalletLocationState | null)?.toppedUp;
  const wallet = useWallet();
  const transactions = useWalletTransactions(PAGE_SIZE);

  const onCreated = (topUp: TopUp) => {
    const path = checkoutPath(topUp);
    if (path) navigate(path);
    else if (topUp.checkoutUrl) window.location.assign(topUp.checkoutUrl);
  };

  return (
    <div>
      <PageHeader
        title="Wallet"
        description="Sessions with paid clones are paid from your wallet."
        actions={
          <Link to="/statements" className={buttonClasses("outline")}>
            <FileText aria-hidden className="size-4" />
            Statements
          </Link>
        }
      />
      {toppedUp ? (
        <Alert tone="success" className="mb-6" title="Payment received">
          {formatMoney(toppedUp.amount, toppedUp.currency)} was added to your wallet.
        </Alert>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1.4fr)]">
        <Card className="p-5 sm:p-6">
          <h2 className="text-sm font-medium text-slate-600">Balance</h2>
          {wallet.isPending ? (
            <Loading label="Loading your balance…" />
          ) : wallet.error ? (
            <Alert tone="error" title="We couldn't load your balance">
              {errorMessage(wallet.error)}
            </Alert>
          ) : (
            <>
              <p className="mt-1 text-4xl font-bold tracking-tight text-slate-900 tabular-nums" data-testid="wallet-balance">
                {formatMoney(wallet.data.balance, wallet.data.currency)}
              </p>
              {wallet.data.lowBalance ? (
                <p className="mt-2 text-sm text-amber-800">Your balance is low: top up to keep talking to paid clones.</p>
              ) : null}
            </>
          )}
        </Card>
        <Card className="p-5 sm:p-6">
          <h2 className="mb-4 text-lg font-semibold text-slate-900">Top up</h2>
          <TopUpForm currency={wallet.data?.currency ?? "USD"} onCreated={onCreated} />
        </Card>
      </div>

      <section aria-labelledby="transactions-heading" className="mt-10">
        <h2 id="transactions-heading" className="mb-4 text-lg font-semibold text-slate-900">
          Transactions
        </h2>
        {transactions.loading ? (
          <Loading label="Loading transactions…" />
        ) : transactions.error && transactions.items.length === 0 ? (
          <Alert tone="error" title="We couldn't load your transactions">
            <p>{errorMessage(transactions.error)}</p>
            <Button variant="outline" size="sm" className="mt-3" onClick={transactions.reload}>
              Try again
            </Button>
          </Alert>
        ) : transactions.items.length === 0 ? (
          <EmptyState icon={<Receipt className="size-6" />} title="No transactions yet">
            Top-ups and session charges will be listed here.
          </EmptyState>
        ) : (
          <>
            <ul aria-label="Transactions" className="divide-y divide-slate-100 overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-xs">
              {transactions.items.map((t) => (
                <li key={t.id}>
                  <TransactionRow transaction={t} />
                </li>
              ))}
            </ul>
            {transactions.error ? (
              <Alert tone="error" className="mt-6" title="Couldn't load more transactions">
                {errorMessage(transactions.error)}
              </Alert>
            ) : null}
            {transactions.token ? (
              <div className="mt-6 flex justify-center">
                <Button variant="outline" size="lg" loading={transactions.loadingMore} onClick={() => void transactions.loadMore()}>
                  Load more
                </Button>
              </div>
            ) : null}
          </>
        )}
      </section>
    </div>
  );
}

export function TransactionRow({ transaction: t }: { transaction: WalletTransaction }) {
  const incoming = t.amount > 0;
  const description = t.sessionId ? (
    <Link to={`/sessions/${encodeURIComponent(t.sessionId)}`} className="hover:text-brand-700 hover:underline">
      {t.description}
    </Link>
  ) : (
    t.description
  );
  return (
    <div className="flex items-center gap-3 px-4 py-3 sm:px-5" data-testid="transaction-row">
      <span
        aria-hidden
        className={cn(
          "flex size-9 shrink-0 items-center justify-center rounded-full",
          incoming ? "bg-emerald-50 text-emerald-600" : "bg-slate-100 text-slate-500",
        )}
      >
        {incoming ? <ArrowDownLeft className="size-4" /> : <ArrowUpRight className="size-4" />}
      </span>
      <div className="min-w-0 flex-1">
        <p className="truncate text-sm font-medium text-slate-900">{description}</p>
        <p className="text-xs text-slate-500">{formatDateTime(t.createdAt)}</p>
      </div>
      <p className={cn("shrink-0 text-sm font-semibold tabular-nums", incoming ? "text-emerald-700" : "text-slate-900")}>
        {incoming ? "+" : "−"}
        {formatMoney(Math.abs(t.amount), t.currency)}
      </p>
    </div>
  );
}
