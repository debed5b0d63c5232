// MSAL itself, loaded on demand by entra.ts (only in entra mode): PublicClientApplication behind MsalPort.
import { BrowserCacheLocation, CacheLookupPolicy, PublicClientApplication, type AccountInfo } from "@azure/msal-browser";
import type { EntraConfig } from "../../api/contract";
import type { MsalPort } from "./entra";

export async function createMsalPort(config: EntraConfig): Promise<MsalPort> {
  const origin = window.location.origin;
  const app = new PublicClientApplication({
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      // External ID's *.ciamlogin.com hosts are not in MSAL's cloud list: trusted as named instead.
      knownAuthorities: config.knownAuthorities,
      redirectUri: origin,
      postLogoutRedirectUri: origin,
    },
    // Like the local host's tokens: one sign-in for every tab, kept across restarts.
    cache: { cacheLocation: BrowserCacheLocation.LocalStorage },
  });
  await app.initialize();

  const account = (): AccountInfo | null => app.getActiveAccount() ?? app.getAllAccounts()[0] ?? null;
  const signedIn = (): AccountInfo => {
    const a = account();
    if (!a) throw new Error("No Microsoft account is signed in.");
    return a;
  };

  return {
    // Back from Microsoft on the redirect URI (the origin), MSAL first returns to the page that started the sign-in.
    async handleRedirect() {
      const result = await app.handleRedirectPromise();
      if (result?.account) app.setActiveAccount(result.account);
      return result !== null;
    },
    hasAccount: () => account() !== null,
    loginRedirect: (scopes) => app.loginRedirect({ scopes }),
    async acquireTokenSilent(scopes) {
      // Cache and refresh token only: the hidden-iframe renewal needs a page that may be framed, and the CSP forbids
      // framing (frame-ancestors 'none'). A missing or refused refresh token then fails at once, and entra.ts redirects.
      const result = await app.acquireTokenSilent({
        scopes,
        account: signedIn(),
        cacheLookupPolicy: CacheLookupPolicy.AccessTokenAndRefreshToken,
      });
      return result.accessToken;
    },
    acquireTokenRedirect: (scopes) => app.acquireTokenRedirect({ scopes, account: signedIn() }),
    logoutRedirect: () => app.logoutRedirect({ account: account() }),
  };
}
