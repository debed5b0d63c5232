// The earnings pages' data: react-query hooks over api.ts. Every payout decision or request invalidates what it changes.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePagedList } from "../../lib/usePagedList";
import { adminPayoutsApi, earningsApi, type EarningsTransaction, type Payout, type PayoutStatus } from "./api";

export const earningsKeys = {
  all: ["earnings"] as const,
  summary: ["earnings", "summary"] as const,
  transactions: ["earnings", "transactions"] as const,
  payouts: ["earnings", "payouts"] as const,
  account: ["earnings", "account"] as const,
  admin: (status: PayoutStatus) => ["admin", "payouts", status] as const,
};

export function useEarnings() {
  return useQuery({ queryKey: earningsKeys.summary, queryFn: earningsApi.get });
}

export function useEarningsTransactions(pageSize: number) {
  return usePagedList<EarningsTransaction>(earningsKeys.transactions, (token) => earningsApi.transactions(pageSize, token));
}

export function useMyPayouts(pageSize: number) {
  return usePagedList<Payout>(earningsKeys.payouts, (token) => earningsApi.payouts(pageSize, token));
}

export function usePayoutAccount() {
  return useQuery({ queryKey: earningsKeys.account, queryFn: earningsApi.account });
}

export function useRequestPayout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ amount, idempotencyKey }: { amount: number; idempotencyKey: string }) => earningsApi.requestPayout(amount, idempotencyKey),
    onSettled: () => client.invalidateQueries({ queryKey: earningsKeys.all }),
  });
}

export function useSetPayoutAccount() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (stripeAccountId: string) => earningsApi.setAccount(stripeAccountId),
    onSuccess: (account) => client.setQueryData(earningsKeys.account, account),
  });
}

export function useAdminPayouts(status: PayoutStatus, pageSize: number) {
  return usePagedList<Payout>(earningsKeys.admin(status), (token) => adminPayoutsApi.list(status, pageSize, token));
}

/** Approve or reject: either way the payout leaves the requested list (or shows its new error), so all lists are read again. */
export function useDecidePayout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (decision: { payoutId: string; approve: true; reference?: string } | { payoutId: string; approve: false; reason: string }) =>
      decision.approve ? adminPayoutsApi.approve(decision.payoutId, decision.reference) : adminPayoutsApi.reject(decision.payoutId, decision.reason),
    onSettled: () => client.invalidateQueries({ queryKey: ["admin", "payouts"] }),
  });
}
