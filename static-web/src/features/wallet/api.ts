// The wallet's endpoints over the typed client (typed.ts): balance, transactions, top-ups and the TEST MODE payment.
import type { components } from "../../api/schema";
import type { paths } from "../../api/schema";
import { createApiClient, data } from "../../api/typed";

export type Wallet = components["schemas"]["Wallet"];
export type WalletTransaction = components["schemas"]["WalletTransaction"];
export type TopUp = components["schemas"]["TopUp"];

const typed = createApiClient<paths>();
const topUp = (topUpId: string) => ({ path: { topUpId } });

export const walletApi = {
  get: () => data(typed.GET("/api/wallet")),
  transactions: (pageSize: number, continuationToken?: string | null, signal?: AbortSignal) =>
    data(
      typed.GET("/api/wallet/transactions", {
        params: { query: { pageSize, continuationToken: continuationToken ?? undefined } },
        ...(signal ? { signal } : {}),
      }),
    ),
  /** A new top-up (201), or the one made before with the same key (200). */
  createTopUp: (amount: number, idempotencyKey: string) => data(typed.POST("/api/wallet/top-ups", { body: { amount, idempotencyKey } })),
  getTopUp: (topUpId: string) => data(typed.GET("/api/wallet/top-ups/{topUpId}", { params: topUp(topUpId) })),
  /** TEST MODE only: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined (402). */
  testPay: (topUpId: string, cardNumber: string) =>
    data(typed.POST("/api/wallet/top-ups/{topUpId}/test-pay", { params: topUp(topUpId), body: { cardNumber } })),
};
