// Where the bearer token of each call comes from: the local host's own tokens (kept in localStorage, refreshed once on a
// 401, one refresh at a time), or in entra mode a token source (MSAL, features/auth/entra.ts).
import { apiUrl } from "./base";
import type { Tokens } from "./contract";

const ACCESS_KEY = "cloneai.accessToken";
const REFRESH_KEY = "cloneai.refreshToken";

function storage(): Storage | null {
  try {
    return typeof globalThis.localStorage === "undefined" ? null : globalThis.localStorage;
  } catch {
    return null;
  }
}

export const tokenStore = {
  get access(): string | null {
    return storage()?.getItem(ACCESS_KEY) ?? null;
  },
  get refresh(): string | null {
    return storage()?.getItem(REFRESH_KEY) ?? null;
  },
  set(tokens: Pick<Tokens, "accessToken" | "refreshToken">): void {
    const s = storage();
    s?.setItem(ACCESS_KEY, tokens.accessToken);
    s?.setItem(REFRESH_KEY, tokens.refreshToken);
  },
  clear(): void {
    const s = storage();
    s?.removeItem(ACCESS_KEY);
    s?.removeItem(REFRESH_KEY);
  },
};

/**
 * Where bearer tokens come from when they are not the local host's own: in entra mode, MSAL (features/auth/entra.ts).
 * `accessToken` may leave the page to sign in again, and then never resolves.
 */
export interface TokenSource {
  accessToken(): Promise<string | null>;
}

let tokenSource: TokenSource | null = null;

/** Entra mode hands its token source here; null goes back to the local tokens (tokenStore). */
export function setTokenSource(source: TokenSource | null): void {
  tokenSource = source;
}

/** The token for the next call: from the token source in entra mode, else the stored access token. */
export async function bearerToken(): Promise<string | null> {
  return tokenSource ? tokenSource.accessToken() : tokenStore.access;
}

type SessionListener = () => void;
const sessionEndedListeners = new Set<SessionListener>();

/** Called when the tokens stop working (refresh failed): the app drops the signed-in user. */
export function onSessionEnded(listener: SessionListener): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

let refreshInFlight: Promise<boolean> | null = null;

async function doRefresh(refreshToken: string): Promise<boolean> {
  try {
    const response = await fetch(apiUrl("/api/auth/refresh"), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ refreshToken }),
    });
    if (!response.ok) return false;
    const tokens = (await response.json()) as Partial<Tokens>;
    if (!tokens.accessToken || !tokens.refreshToken) return false;
    tokenStore.set({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
    return true;
  } catch {
    return false;
  }
}

/** One refresh at a time: concurrent 401s share it (a refresh token may be single-use). */
function refreshTokens(): Promise<boolean> {
  const refreshToken = tokenStore.refresh;
  if (!refreshToken) return Promise.resolve(false);
  refreshInFlight ??= doRefresh(refreshToken).finally(() => {
    refreshInFlight = null;
  });
  return refreshInFlight;
}

/**
 * After a 401 to a call made with the local tokens: refreshes them and resolves true when the call should be sent again;
 * when there is nothing to refresh with (or entra mode) false; when the refresh fails, the tokens are dropped, the
 * session-ended listeners told, and false.
 */
export async function refreshAfterUnauthorized(): Promise<boolean> {
  if (tokenSource || !tokenStore.refresh) return false;
  if (await refreshTokens()) return true;
  tokenStore.clear();
  sessionEndedListeners.forEach((listener) => listener());
  return false;
}
