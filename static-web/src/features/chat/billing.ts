// Sessions draw from the wallet: what a clone's price needs to start, how long a balance lasts at that price, and whether a
// refusal (a 402 problem, an error frame) means the wallet ran out. The wallet is GET /api/wallet: {balance, currency, lowBalance}.
import { useQuery } from "@tanstack/react-query";
import { ApiError, request } from "../../api/http";
import type { Pricing } from "../../api/contract";
import { formatMoney } from "../../lib/money";

/** The wallet as GET /api/wallet answers: minor units of the platform currency, and whether it is running low. */
export interface WalletSummary {
  balance: number;
  currency: string;
  lowBalance: boolean;
}

export const walletKey = ["wallet"] as const;

/** The signed-in user's wallet (not fetched while `enabled` is false, for example signed out). */
export function useWalletSummary(enabled: boolean) {
  return useQuery({
    queryKey: walletKey,
    queryFn: ({ signal }) => request<WalletSummary>("/api/wallet", { signal }),
    enabled,
    staleTime: 15_000,
  });
}

/** What starting a session needs: its first minute and its first message (free while the clone gives free messages). */
export function neededToStart(pricing: Pricing): number {
  const minute = pricing.perMinute ?? 0;
  const message = pricing.freeMessages > 0 ? 0 : (pricing.perMessage ?? 0);
  return minute + message;
}

/**
 * How many minutes a balance covers at the per-minute price (messages beyond the free ones aside); null when the clone has
 * no per-minute price.
 */
export function minutesCovered(balance: number, pricing: Pricing): number | null {
  const perMinute = pricing.perMinute ?? 0;
  if (perMinute <= 0) return null;
  return Math.max(0, Math.floor(balance / perMinute));
}

/** "Your balance of $3.80 covers about 38 minutes." and the like. */
export function coverText(wallet: Pick<WalletSummary, "balance" | "currency">, pricing: Pricing): string {
  const balance = formatMoney(wallet.balance, wallet.currency);
  if (wallet.balance < neededToStart(pricing)) {
    return `Your balance of ${balance} is not enough to start: top up at least ${formatMoney(neededToStart(pricing) - wallet.balance, wallet.currency)}.`;
  }
  const minutes = minutesCovered(wallet.balance, pricing);
  if (minutes !== null) return `Your balance of ${balance} covers about ${minutes} minute${minutes === 1 ? "" : "s"}.`;
  const perMessage = pricing.perMessage ?? 0;
  if (perMessage > 0) {
    const messages = Math.floor(wallet.balance / perMessage) + pricing.freeMessages;
    return `Your balance of ${balance} covers about ${messages} message${messages === 1 ? "" : "s"}.`;
  }
  return `Your balance is ${balance}.`;
}

export const OUT_OF_CREDIT = "out-of-credit";

/** Whether an error is the API's 402: the wallet cannot pay (…/insufficient-funds on start, …/out-of-credit mid-session). */
export function isPaymentRequired(error: unknown): boolean {
  return error instanceof ApiError && error.status === 402;
}
