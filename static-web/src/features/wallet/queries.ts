// The wallet's data: the balance (the header's chip and the wallet page share it), the paged transactions and top-ups.
// A payment invalidates both, so the chip and the list show the new balance at once.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePagedList } from "../../lib/usePagedList";
import { walletApi, type TopUp } from "./api";

export const walletKeys = {
  all: ["wallet"] as const,
  balance: ["wallet", "balance"] as const,
  transactions: (pageSize: number) => ["wallet", "transactions", pageSize] as const,
  topUp: (id: string) => ["wallet", "top-up", id] as const,
};

export function useWallet(enabled = true) {
  return useQuery({ queryKey: walletKeys.balance, queryFn: walletApi.get, enabled, staleTime: 15_000 });
}

export function useWalletTransactions(pageSize: number) {
  return usePagedList(walletKeys.transactions(pageSize), (token, signal) => walletApi.transactions(pageSize, token, signal));
}

export function useTopUp(id: string) {
  return useQuery({ queryKey: walletKeys.topUp(id), queryFn: () => walletApi.getTopUp(id) });
}

export function useCreateTopUp() {
  return useMutation({
    mutationFn: ({ amount, idempotencyKey }: { amount: number; idempotencyKey: string }) => walletApi.createTopUp(amount, idempotencyKey),
  });
}

/** Pays a TEST MODE top-up; success or decline, the wallet and the top-up are read again. */
export function useTestPay(topUpId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (cardNumber: string) => walletApi.testPay(topUpId, cardNumber),
    onSuccess: (topUp: TopUp) => queryClient.setQueryData(walletKeys.topUp(topUpId), topUp),
    onSettled: () => queryClient.invalidateQueries({ queryKey: walletKeys.all }),
  });
}
