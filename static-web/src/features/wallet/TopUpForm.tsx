import { useRef, useState, type FormEvent } from "react";
import { Button } from "../../components/ui/Button";
import { Field } from "../../components/ui/Field";
import { errorsFor, FormProblem } from "../../components/ui/FormProblem";
import { Input } from "../../components/ui/Input";
import { cn } from "../../lib/cn";
import { formatMoney } from "../../lib/money";
import type { TopUp } from "./api";
import { newIdempotencyKey, parseCustomAmount, PRESET_AMOUNTS } from "./amounts";
import { useCreateTopUp } from "./queries";

/**
 * Choose an amount (a preset or a custom one) and go to the checkout. One idempotency key per amount chosen: sending the
 * same top-up again (a double click, a retry after a network error) returns the same top-up rather than a second one.
 */
export function TopUpForm({ currency, onCreated }: { currency: string; onCreated: (topUp: TopUp) => void }) {
  const [preset, setPreset] = useState<number | null>(PRESET_AMOUNTS[1]);
  const [custom, setCustom] = useState("");
  const [customError, setCustomError] = useState<string | null>(null);
  const key = useRef<{ amount: number; key: string } | null>(null);
  const create = useCreateTopUp();

  const choose = (amount: number | null) => {
    setPreset(amount);
    setCustomError(null);
    if (amount !== null) setCustom("");
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    let amount = preset;
    if (amount === null) {
      const parsed = parseCustomAmount(custom, currency);
      if ("error" in parsed) {
        setCustomError(parsed.error);
        return;
      }
      amount = parsed.amount;
    }
    if (key.current?.amount !== amount) key.current = { amount, key: newIdempotencyKey() };
    create.mutate({ amount, idempotencyKey: key.current.key }, { onSuccess: onCreated });
  };

  const amountErrors = [...(customError ? [customError] : []), ...errorsFor(create.error, "amount")];
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Top up">
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Amount</legend>
        <div className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-4">
          {PRESET_AMOUNTS.map((amount) => (
            <button
              key={amount}
              type="button"
              aria-pressed={preset === amount}
              onClick={() => choose(amount)}
              className={cn(
                "h-11 rounded-lg border text-sm font-semibold tabular-nums transition-colors",
                preset === amount
                  ? "border-brand-500 bg-brand-50 text-brand-800 ring-2 ring-brand-500/20"
                  : "border-slate-300 bg-white text-slate-800 hover:border-slate-400",
              )}
            >
              {formatMoney(amount, currency)}
            </button>
          ))}
        </div>
      </fieldset>
      <Field label="Custom amount" labelNote={currency} error={amountErrors.length ? amountErrors : undefined} hint="Or type any amount from $1.00 to $1,000.00.">
        {(props) => (
          <Input
            {...props}
            inputMode="decimal"
            placeholder="e.g. 15.00"
            value={custom}
            onChange={(e) => {
              setCustom(e.target.value);
              setPreset(null);
              setCustomError(null);
            }}
          />
        )}
      </Field>
      <FormProblem error={create.error} shownFields={["amount"]} />
      <Button type="submit" loading={create.isPending} className="w-full sm:w-auto">
        Continue to checkout
      </Button>
    </form>
  );
}
