// Earnings and payouts: the creator's earnings, their history and payouts, and the admin's payout queue, over the typed client.
import type { Schemas } from "../../api/contract";
import type { paths } from "../../api/schema";
import { createApiClient, data } from "../../api/typed";

const typed = createApiClient<paths>();

export type Earnings = Schemas["Earnings"];
export type CloneEarnings = Schemas["CloneEarnings"];
export type EarningsTransaction = Schemas["EarningsTransaction"];
export type Payout = Schemas["Payout"];
export type PayoutStatus = Payout["status"];
export type PayoutAccount = Schemas["PayoutAccount"];

const page = (pageSize: number, continuationToken?: string | null) => ({ pageSize, continuationToken: continuationToken ?? undefined });

export const earningsApi = {
  get: () => data(typed.GET("/api/me/earnings")),
  transactions: (pageSize: number, continuationToken?: string | null) =>
    data(typed.GET("/api/me/earnings/transactions", { params: { query: page(pageSize, continuationToken) } })),
  payouts: (pageSize: number, continuationToken?: string | null) =>
    data(typed.GET("/api/me/payouts", { params: { query: page(pageSize, continuationToken) } })),
  /** Answers 201 with a new payout, or 200 with the one an earlier request with the same key made. */
  requestPayout: (amount: number, idempotencyKey: string) => data(typed.POST("/api/me/payouts", { body: { amount, idempotencyKey } })),
  account: () => data(typed.GET("/api/me/payout-account")),
  setAccount: (stripeAccountId: string) => data(typed.PUT("/api/me/payout-account", { body: { stripeAccountId } })),
};

export const adminPayoutsApi = {
  list: (status: PayoutStatus, pageSize: number, continuationToken?: string | null) =>
    data(typed.GET("/api/admin/payouts", { params: { query: { status, ...page(pageSize, continuationToken) } } })),
  approve: (payoutId: string, reference?: string) =>
    data(typed.POST("/api/admin/payouts/{payoutId}/approve", { params: { path: { payoutId } }, body: reference ? { reference } : {} })),
  reject: (payoutId: string, reason: string) =>
    data(typed.POST("/api/admin/payouts/{payoutId}/reject", { params: { path: { payoutId } }, body: { reason } })),
};
