// Entra mode: accounts live in Microsoft Entra (External ID) and MSAL signs in with redirects. MSAL sits behind MsalPort
// (msal.ts adapts @azure/msal-browser to it) and is loaded with a dynamic import, so local mode never downloads it.
import { ApiError } from "../../api/http";
import { setTokenSource, type TokenSource } from "../../api/tokens";
import type { AppConfig, EntraConfig } from "../../api/contract";

/** What the app asks of MSAL. msal.ts wraps PublicClientApplication; tests use a fake. */
export interface MsalPort {
  /** Completes the sign-in redirect this page load returns from, if any; resolves with whether it was one. */
  handleRedirect(): Promise<boolean>;
  /** Whether an account is signed in (just now, or on an earlier visit). */
  hasAccount(): boolean;
  loginRedirect(scopes: string[]): Promise<void>;
  /** An access token from the cache or the refresh token; throws an MSAL error (see needsSignIn) when it can't. */
  acquireTokenSilent(scopes: string[]): Promise<string>;
  acquireTokenRedirect(scopes: string[]): Promise<void>;
  logoutRedirect(): Promise<void>;
}

/**
 * Whether a silent MSAL failure needs the user to sign in again: an InteractionRequiredAuthError (no tokens, consent,
 * MFA...), or a refused refresh token (`invalid_grant`, a ServerError: a single-page app's refresh token lasts 24 hours).
 * Matched by name and code, so this module does not load MSAL to test for them.
 */
export function needsSignIn(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === "InteractionRequiredAuthError" || (error as { errorCode?: unknown }).errorCode === "invalid_grant";
}

/** A promise that never settles: the page is navigating to the sign-in page. */
function leavingPage<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

/** The signed-in Entra user's tokens for the API: the token source of the API client in entra mode. */
export class EntraSession implements TokenSource {
  private redirecting = false;

  constructor(
    private readonly msal: MsalPort,
    private readonly scopes: string[],
  ) {}

  get signedIn(): boolean {
    return this.msal.hasAccount();
  }

  /** Sends the browser to Microsoft's sign-in page; it comes back to the page it left. */
  signIn(): Promise<void> {
    this.redirecting = true;
    return this.msal.loginRedirect(this.scopes);
  }

  signOut(): Promise<void> {
    this.redirecting = true;
    return this.msal.logoutRedirect();
  }

  /**
   * A token for the next API call: silently from MSAL's cache or refresh token; when that needs the user (the refresh
   * token expired, consent is missing), a redirect to sign in again, and the call waits for the page to go.
   */
  async accessToken(): Promise<string | null> {
    if (this.redirecting) return leavingPage();
    if (!this.msal.hasAccount()) return null;
    try {
      return await this.msal.acquireTokenSilent(this.scopes);
    } catch (error) {
      if (!needsSignIn(error)) {
        throw new ApiError({
          status: 401,
          title: "You need to log in",
          detail: "Your Microsoft sign-in could not be renewed. Sign in again.",
          errors: {},
        });
      }
      if (this.redirecting) return leavingPage();
      this.redirecting = true;
      await this.msal.acquireTokenRedirect(this.scopes);
      return leavingPage();
    }
  }
}

export type MsalLoader = (config: EntraConfig) => Promise<MsalPort>;

const loadMsal: MsalLoader = async (config) => {
  const { createMsalPort } = await import("./msal");
  return createMsalPort(config);
};

export interface EntraStart {
  session: EntraSession;
  /** Why the sign-in redirect this page returned from failed (cancelled, refused), if it did. */
  error: unknown;
}

/**
 * Entra mode: loads MSAL, completes a sign-in redirect, and gives the API client its tokens. Null in local mode (MSAL is
 * never loaded then) and when the API sent no app registration.
 */
export async function startEntra(config: AppConfig, load: MsalLoader = loadMsal): Promise<EntraStart | null> {
  if (config.authMode !== "entra" || !config.entra) return null;
  const msal = await load(config.entra);
  let error: unknown = null;
  try {
    await msal.handleRedirect();
  } catch (e) {
    error = e;
  }
  const session = new EntraSession(msal, config.entra.scopes);
  setTokenSource(session);
  return { session, error };
}

let starting: Promise<EntraStart | null> | null = null;

/** startEntra once per page load: a redirect response can be read once (and StrictMode runs effects twice in development). */
export function startEntraOnce(config: AppConfig): Promise<EntraStart | null> {
  starting ??= startEntra(config);
  return starting;
}
