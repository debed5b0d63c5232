// Accounts through the data layer: the app's configuration, the signed-in user, and the local accounts' writes (sign up,
// verify, reset the password). Logging in and out goes through AuthProvider, which holds the signed-in state.
import { useMutation, type QueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { ApiError } from "../../api/http";
import type { AppConfig, Me } from "../../api/contract";

export const authKeys = {
  config: ["config"] as const,
  me: ["me"] as const,
};

/** GET /api/config, read once per page load. */
export function fetchConfig(queryClient: QueryClient): Promise<AppConfig> {
  return queryClient.fetchQuery({ queryKey: authKeys.config, queryFn: () => api.config(), staleTime: Infinity });
}

/** The signed-in user, read now. */
export function fetchMe(queryClient: QueryClient): Promise<Me> {
  return queryClient.fetchQuery({ queryKey: authKeys.me, queryFn: () => api.me.get(), staleTime: 0 });
}

/** Signs in with email and password (the tokens are kept by the API client). */
export function logIn(email: string, password: string) {
  return api.auth.login(email, password);
}

/** Signs out: the refresh token is revoked, and the local tokens are dropped either way. */
export function logOut() {
  return api.auth.logout();
}

/**
 * Ends every sign-in of the account, on every device (in Entra mode too: the API then refuses the tokens Entra issued so far).
 * A 401 means they had ended already.
 */
export async function endAllSessions(): Promise<void> {
  try {
    await api.me.signOutEverywhere();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
}

export function useSignup() {
  return useMutation({
    mutationFn: (input: { email: string; password: string; displayName: string; acceptTerms: boolean }) => api.auth.signup(input),
  });
}

/** Confirms an email with the token of its link (single-use: call it once). */
export function useVerifyEmail() {
  return useMutation({ mutationFn: (token: string) => api.auth.verify(token) });
}

export function useResendVerification() {
  return useMutation({ mutationFn: (email: string) => api.auth.resendVerification(email) });
}

export function useForgotPassword() {
  return useMutation({ mutationFn: (email: string) => api.auth.forgotPassword(email) });
}

export function useResetPassword() {
  return useMutation({ mutationFn: ({ token, password }: { token: string; password: string }) => api.auth.resetPassword(token, password) });
}
