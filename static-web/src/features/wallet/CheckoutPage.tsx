import { CreditCard, FlaskConical } from "lucide-react";
import { useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, errorMessage } from "../../api/http";
import { Alert } from "../../components/ui/Alert";
import { Button, buttonClasses } from "../../components/ui/Button";
import { Field } from "../../components/ui/Field";
import { errorsFor, FormProblem } from "../../components/ui/FormProblem";
import { Input } from "../../components/ui/Input";
import { Card, EmptyState, Loading } from "../../components/ui/States";
import { formatMoney } from "../../lib/money";
import { useTitle } from "../../lib/useTitle";
import type { TopUp } from "./api";
import { groupCardNumber, newIdempotencyKey } from "./amounts";
import { useCreateTopUp, useTestPay, useTopUp } from "./queries";
import type { WalletLocationState } from "./WalletPage";

export const TEST_CARDS = [
  { number: "4242 4242 4242 4242", outcome: "succeeds" },
  { number: "4000 0000 0000 0002", outcome: "is declined" },
] as const;

/** The card was refused (402 card-declined). */
export function isDeclined(error: unknown): boolean {
  return error instanceof ApiError && error.status === 402;
}

/** The TEST MODE checkout of the test payment provider: pay a top-up with a test card; no money moves. */
export function CheckoutPage() {
  useTitle("Checkout (test mode)");
  const { id = "" } = useParams();
  const topUp = useTopUp(id);

  return (
    <div className="mx-auto max-w-lg">
      <div role="note" className="mb-6 flex items-start gap-3 rounded-xl border-2 border-dashed border-amber-400 bg-amber-50 px-4 py-3 text-amber-950" data-testid="test-mode-banner">
        <FlaskConical aria-hidden className="mt-0.5 size-5 shrink-0 text-amber-600" />
        <div className="text-sm">
          <p className="font-bold tracking-wide uppercase">Test mode</p>
          <p>This checkout takes test cards only. No real card is charged and no money moves.</p>
        </div>
      </div>
      {topUp.isPending ? (
        <Loading label="Loading the checkout…" />
      ) : topUp.error ? (
        <EmptyState
          title={topUp.error instanceof ApiError && topUp.error.status === 404 ? "No such checkout" : "We couldn't load this checkout"}
          action={
            <Link to="/wallet" className={buttonClasses("primary")}>
              Back to your wallet
            </Link>
          }
        >
          {errorMessage(topUp.error)}
        </EmptyState>
      ) : (
        <CheckoutCard topUp={topUp.data} />
      )}
    </div>
  );
}

function CheckoutCard({ topUp }: { topUp: TopUp }) {
  const navigate = useNavigate();
  const [card, setCard] = useState("");
  const pay = useTestPay(topUp.id);
  const retry = useCreateTopUp();
  const amount = formatMoney(topUp.amount, topUp.currency);
  const declined = isDeclined(pay.error) || topUp.status === "failed";

  const submit = (e: FormEvent) => {
    e.preventDefault();
    pay.mutate(card, {
      onSuccess: (paid) => {
        if (paid.status !== "succeeded") return;
        const state: WalletLocationState = { toppedUp: { amount: paid.amount, currency: paid.currency } };
        navigate("/wallet", { state });
      },
    });
  };

  /** A declined top-up is over: trying again is a new top-up of the same amount, paid on its own checkout. */
  const tryAgain = () =>
    retry.mutate(
      { amount: topUp.amount, idempotencyKey: newIdempotencyKey() },
      { onSuccess: (next) => navigate(`/checkout/${encodeURIComponent(next.id)}`, { replace: true }) },
    );

  return (
    <Card className="p-5 sm:p-6">
      <h1 className="text-sm font-medium text-slate-600">Wallet top-up</h1>
      <p className="mt-1 text-3xl font-bold tracking-tight text-slate-900 tabular-nums" data-testid="checkout-amount">
        {amount}
      </p>

      {topUp.status === "succeeded" ? (
        <div className="mt-6 space-y-4">
          <Alert tone="success" title="Paid">
            {amount} was added to your wallet.
          </Alert>
          <Link to="/wallet" className={buttonClasses("primary")}>
            Back to your wallet
          </Link>
        </div>
      ) : declined ? (
        <div className="mt-6 space-y-4">
          <Alert tone="error" title="Your card was declined">
            Nothing was charged and nothing was added to your wallet. Try again with another card.
          </Alert>
          <FormProblem error={retry.error} />
          <div className="flex flex-wrap gap-2">
            <Button onClick={tryAgain} loading={retry.isPending}>
              Try again
            </Button>
            <Link to="/wallet" className={buttonClasses("outline")}>
              Back to your wallet
            </Link>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} noValidate className="mt-6 space-y-4" aria-label="Pay with a test card">
          <Field
            label="Card number"
            error={errorsFor(pay.error, "cardNumber")}
            hint={
              <span>
                Test cards:{" "}
                {TEST_CARDS.map((c, i) => (
                  <span key={c.number}>
                    {i > 0 ? "; " : ""}
                    <button type="button" className="font-mono text-brand-700 underline underline-offset-2" onClick={() => setCard(c.number)}>
                      {c.number}
                    </button>{" "}
                    {c.outcome}
                  </span>
                ))}
                .
              </span>
            }
          >
            {(props) => (
              <div className="relative">
                <CreditCard aria-hidden className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" />
                <Input
                  {...props}
                  className="pl-9 font-mono"
                  inputMode="numeric"
                  autoComplete="off"
                  placeholder="4242 4242 4242 4242"
                  value={card}
                  onChange={(e) => setCard(groupCardNumber(e.target.value))}
                />
              </div>
            )}
          </Field>
          {pay.error && !isDeclined(pay.error) && errorsFor(pay.error, "cardNumber").length === 0 ? <FormProblem error={pay.error} /> : null}
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" loading={pay.isPending}>
              Pay {amount}
            </Button>
            <Link to="/wallet" className="text-sm font-medium text-slate-600 hover:text-slate-900">
              Cancel
            </Link>
          </div>
        </form>
      )}
    </Card>
  );
}
