// The billing notes of the clone page and the chat: what the balance covers before a session starts, a low balance while
// chatting, and out of credit with a way to top up.
import { Wallet } from "lucide-react";
import { Link } from "react-router";
import type { Pricing } from "../../api/contract";
import { Alert } from "../../components/ui/Alert";
import { buttonClasses } from "../../components/ui/Button";
import { formatMoney } from "../../lib/money";
import { coverText, type WalletSummary } from "./billing";

/** Before a session starts: the price is shown beside this; here is what the wallet covers at it. */
export function BalanceCover({ wallet, pricing }: { wallet: WalletSummary | undefined; pricing: Pricing }) {
  if (!wallet) return null;
  return (
    <p className="mt-2 flex items-start gap-1.5 text-sm text-slate-600" data-testid="balance-cover">
      <Wallet aria-hidden className="mt-0.5 size-4 shrink-0 text-slate-400" />
      <span className="min-w-0">
        {coverText(wallet, pricing)}{" "}
        <Link to="/wallet" className="font-medium whitespace-nowrap text-brand-700 hover:underline">
          Top up
        </Link>
      </span>
    </p>
  );
}

/** In the chat, while the session runs: the wallet is running low. */
export function LowBalanceNote({ wallet }: { wallet: WalletSummary | undefined }) {
  if (!wallet?.lowBalance) return null;
  return (
    <div
      role="status"
      data-testid="low-balance"
      className="flex flex-wrap items-center justify-between gap-2 rounded-xl border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
    >
      <span className="min-w-0">Your balance is low: {formatMoney(wallet.balance, wallet.currency)} left. The session ends when it runs out.</span>
      <Link to="/wallet" className={buttonClasses("outline", "sm")}>
        Top up
      </Link>
    </div>
  );
}

/** The session ended (or could not start) because the wallet could not pay: top up to go on. */
export function OutOfCredit({ title = "You're out of credit", detail }: { title?: string; detail?: string }) {
  return (
    <Alert tone="error" title={title} className="break-words">
      <div data-testid="out-of-credit">
        <p>{detail ?? "Your wallet couldn't pay for the next minute or message, so the session has ended."}</p>
        <Link to="/wallet" className={buttonClasses("primary", "sm", "mt-3")}>
          <Wallet aria-hidden className="size-4" />
          Top up
        </Link>
      </div>
    </Alert>
  );
}
