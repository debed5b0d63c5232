import { Wallet as WalletIcon } from "lucide-react";
import { Link } from "react-router";
import { cn } from "../../lib/cn";
import { formatMoney } from "../../lib/money";
import { useAuth } from "../auth/AuthProvider";
import { useWallet } from "./queries";

/** The signed-in user's balance in the header, linking to the wallet; amber when it is low. */
export function BalanceChip() {
  const { status } = useAuth();
  const signedIn = status === "signedIn";
  const { data: wallet } = useWallet(signedIn);
  if (!signedIn) return null;
  const balance = wallet ? formatMoney(wallet.balance, wallet.currency) : null;
  return (
    <Link
      to="/wallet"
      data-testid="balance-chip"
      aria-label={balance ? `Wallet: ${balance}${wallet?.lowBalance ? ", low balance" : ""}` : "Wallet"}
      className={cn(
        "inline-flex h-9 items-center gap-1.5 rounded-full border px-3 text-sm font-semibold tabular-nums transition-colors",
        wallet?.lowBalance
          ? "border-amber-300 bg-amber-50 text-amber-900 hover:bg-amber-100"
          : "border-slate-200 bg-white text-slate-800 hover:bg-slate-50",
      )}
    >
      <WalletIcon aria-hidden className="size-4 shrink-0" />
      {balance ?? <span aria-hidden className="h-3 w-10 animate-pulse rounded bg-slate-200" />}
    </Link>
  );
}
