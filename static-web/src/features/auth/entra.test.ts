import { InteractionRequiredAuthError, ServerError } from "@azure/msal-browser";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { request } from "../../api/http";
import { setTokenSource, tokenStore } from "../../api/tokens";
import type { AppConfig, EntraConfig } from "../../api/contract";
import { needsSignIn, startEntra, type MsalLoader, type MsalPort } from "./entra";
import { json, MemoryStorage } from "../../test/fakes";

const ENTRA: EntraConfig = {
  clientId: "api-client-id",
  authority: "https://contoso.ciamlogin.com/tenant-id",
  scopes: ["api://api-client-id/access_as_user"],
  knownAuthorities: ["contoso.ciamlogin.com"],
};
const FEATURES: AppConfig["features"] = { chat: true, knowledge: true, receipts: false };
const ENTRA_CONFIG: AppConfig = { authMode: "entra", version: "1", features: FEATURES, entra: ENTRA };
const LOCAL_CONFIG: AppConfig = { authMode: "local", version: "1", features: FEATURES };

/** MSAL as the app sees it: a signed-in account (or none) and scripted silent results. */
function fakeMsal(signedIn = true) {
  return {
    handleRedirect: vi.fn(async () => false),
    hasAccount: vi.fn(() => signedIn),
    loginRedirect: vi.fn(async (_scopes: string[]) => {}),
    acquireTokenSilent: vi.fn(async (_scopes: string[]) => "entra-token"),
    acquireTokenRedirect: vi.fn(async (_scopes: string[]) => {}),
    logoutRedirect: vi.fn(async () => {}),
  } satisfies MsalPort;
}

describe("entra mode", () => {
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    vi.stubGlobal("localStorage", new MemoryStorage());
    vi.stubGlobal("fetch", fetchMock);
    fetchMock.mockReset();
  });
  afterEach(() => {
    setTokenSource(null);
    vi.unstubAllGlobals();
  });

  it("never loads MSAL in local mode, and calls keep the local token", async () => {
    const load = vi.fn<MsalLoader>();
    tokenStore.set({ accessToken: "local-token", refreshToken: "r1" });
    fetchMock.mockResolvedValueOnce(json(200, { id: "u1" }));

    await expect(startEntra(LOCAL_CONFIG, load)).resolves.toBeNull();
    await request("/api/me");

    expect(load).not.toHaveBeenCalled();
    expect((fetchMock.mock.calls[0]![1]!.headers as Record<string, string>).Authorization).toBe("Bearer local-token");
  });

  it("does not load MSAL when the API names no app registration", async () => {
    const load = vi.fn<MsalLoader>();

    await expect(startEntra({ ...ENTRA_CONFIG, entra: undefined }, load)).resolves.toBeNull();

    expect(load).not.toHaveBeenCalled();
  });

  it("loads MSAL with the API's app registration and handles the redirect first", async () => {
    const msal = fakeMsal();
    const load = vi.fn<MsalLoader>(async () => msal);

    const started = await startEntra(ENTRA_CONFIG, load);

    expect(load).toHaveBeenCalledWith(ENTRA);
    expect(msal.handleRedirect).toHaveBeenCalledOnce();
    expect(started?.session.signedIn).toBe(true);
    expect(started?.error).toBeNull();
  });

  it("attaches the token from acquireTokenSilent as Authorization: Bearer", async () => {
    const msal = fakeMsal();
    await startEntra(ENTRA_CONFIG, async () => msal);
    tokenStore.set({ accessToken: "stale-local-token", refreshToken: "r1" });
    fetchMock.mockResolvedValueOnce(json(200, { id: "u1" }));

    await expect(request("/api/me")).resolves.toEqual({ id: "u1" });

    expect(msal.acquireTokenSilent).toHaveBeenCalledWith(ENTRA.scopes);
    expect((fetchMock.mock.calls[0]![1]!.headers as Record<string, string>).Authorization).toBe("Bearer entra-token");
  });

  it("sends no token when nobody is signed in", async () => {
    const msal = fakeMsal(false);
    await startEntra(ENTRA_CONFIG, async () => msal);
    fetchMock.mockResolvedValueOnce(json(200, { items: [] }));

    await request("/api/clones");

    expect(msal.acquireTokenSilent).not.toHaveBeenCalled();
    expect((fetchMock.mock.calls[0]![1]!.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it("redirects to sign in again when the silent call needs the user, and sends nothing meanwhile", async () => {
    const msal = fakeMsal();
    msal.acquireTokenSilent.mockRejectedValue(new InteractionRequiredAuthError("no_tokens_found", "correlation-1"));
    await startEntra(ENTRA_CONFIG, async () => msal);

    void request("/api/me");
    void request("/api/me/clones");

    await vi.waitFor(() => expect(msal.acquireTokenRedirect).toHaveBeenCalledWith(ENTRA.scopes));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(msal.acquireTokenRedirect).toHaveBeenCalledOnce();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("redirects to sign in again when the refresh token is refused", async () => {
    const msal = fakeMsal();
    msal.acquireTokenSilent.mockRejectedValue(new ServerError("invalid_grant", "correlation-1", "AADSTS700084: The refresh token has expired."));
    await startEntra(ENTRA_CONFIG, async () => msal);

    void request("/api/me");

    await vi.waitFor(() => expect(msal.acquireTokenRedirect).toHaveBeenCalledOnce());
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("does not redirect for other silent failures: the call fails with a 401", async () => {
    const msal = fakeMsal();
    msal.acquireTokenSilent.mockRejectedValue(new Error("network down"));
    await startEntra(ENTRA_CONFIG, async () => msal);

    await expect(request("/api/me")).rejects.toMatchObject({ status: 401 });

    expect(msal.acquireTokenRedirect).not.toHaveBeenCalled();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("never refreshes local tokens on a 401 from the API", async () => {
    await startEntra(ENTRA_CONFIG, async () => fakeMsal());
    tokenStore.set({ accessToken: "a", refreshToken: "r" });
    fetchMock.mockResolvedValueOnce(json(401, { title: "Unauthorized", status: 401 }));

    await expect(request("/api/me")).rejects.toMatchObject({ status: 401 });

    expect(fetchMock).toHaveBeenCalledOnce();
  });

  it("signs in and out with redirects", async () => {
    const msal = fakeMsal(false);
    const started = await startEntra(ENTRA_CONFIG, async () => msal);

    await started!.session.signIn();
    await started!.session.signOut();

    expect(msal.loginRedirect).toHaveBeenCalledWith(ENTRA.scopes);
    expect(msal.logoutRedirect).toHaveBeenCalledOnce();
  });

  it("keeps a failed sign-in redirect as an error, still able to sign in again", async () => {
    const msal = fakeMsal(false);
    msal.handleRedirect.mockRejectedValue(new Error("user_cancelled"));

    const started = await startEntra(ENTRA_CONFIG, async () => msal);

    expect(started?.error).toBeInstanceOf(Error);
    await started!.session.signIn();
    expect(msal.loginRedirect).toHaveBeenCalledOnce();
  });
});

describe("needsSignIn", () => {
  it("recognises MSAL's InteractionRequiredAuthError and a refused refresh token, and nothing else", () => {
    expect(needsSignIn(new InteractionRequiredAuthError("interaction_required", "correlation-1"))).toBe(true);
    expect(needsSignIn(new ServerError("invalid_grant", "correlation-1", "AADSTS700084"))).toBe(true);
    expect(needsSignIn(new ServerError("temporarily_unavailable", "correlation-1", "try later"))).toBe(false);
    expect(needsSignIn(new Error("interaction_required"))).toBe(false);
    expect(needsSignIn("InteractionRequiredAuthError")).toBe(false);
  });
});
