import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { ApiError, errorMessage } from "../../api/http";
import { onSessionEnded, tokenStore } from "../../api/tokens";
import type { AppConfig, Me } from "../../api/contract";
import { startEntraOnce, type EntraSession } from "./entra";
import { authKeys, endAllSessions, fetchConfig, fetchMe, logIn, logOut } from "./queries";

type Status = "loading" | "signedIn" | "signedOut";

export interface AuthContextValue {
  config: AppConfig;
  status: Status;
  me: Me | null;
  login: (email: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  /** Ends every sign-in of the account, on every device, then signs out here; throws (signed in still) when the API could not. */
  signOutEverywhere: () => Promise<void>;
  setMe: (me: Me) => void;
  /** Entra mode: off to Microsoft's sign-in page (it comes back to this page). */
  signInWithMicrosoft: () => Promise<void>;
  /** Entra mode: why the last Microsoft sign-in failed, if it did. */
  entraError: string | null;
}

const DEFAULT_CONFIG: AppConfig = { authMode: "local", version: "", features: { chat: true, knowledge: true, receipts: false } };

// Set while signed in with Microsoft, so a later visit waits for MSAL instead of showing a signed-out page first.
const ENTRA_HINT_KEY = "cloneai.entraSignedIn";

function entraHint(): boolean {
  try {
    return globalThis.localStorage?.getItem(ENTRA_HINT_KEY) === "1";
  } catch {
    return false;
  }
}

function setEntraHint(signedIn: boolean): void {
  try {
    if (signedIn) globalThis.localStorage?.setItem(ENTRA_HINT_KEY, "1");
    else globalThis.localStorage?.removeItem(ENTRA_HINT_KEY);
  } catch {
    // no storage: only the first paint differs
  }
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth must be used inside <AuthProvider>.");
  return value;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [config, setConfig] = useState<AppConfig>(DEFAULT_CONFIG);
  const [me, setMeState] = useState<Me | null>(null);
  const [status, setStatus] = useState<Status>(tokenStore.access || entraHint() ? "loading" : "signedOut");
  const [entraError, setEntraError] = useState<string | null>(null);
  const entra = useRef<EntraSession | null>(null);
  const queryClient = useQueryClient();

  useEffect(() => {
    let cancelled = false;
    fetchConfig(queryClient)
      .then(async (c) => {
        if (cancelled) return;
        const loaded = { ...DEFAULT_CONFIG, ...c };
        setConfig(loaded);
        if (loaded.authMode !== "entra") {
          // A hint left by an Entra deployment on this origin means nothing here.
          if (entraHint()) {
            setEntraHint(false);
            if (!tokenStore.access) setStatus("signedOut");
          }
          return;
        }
        // Entra mode: MSAL is loaded now, never in local mode.
        const started = await startEntraOnce(loaded);
        if (cancelled) return;
        if (!started) {
          setStatus("signedOut");
          return;
        }
        entra.current = started.session;
        if (started.error) setEntraError(errorMessage(started.error));
        if (!started.session.signedIn) {
          setEntraHint(false);
          setStatus("signedOut");
          return;
        }
        setStatus("loading");
        try {
          const m = await fetchMe(queryClient);
          if (cancelled) return;
          setEntraHint(true);
          setMeState(m);
          setStatus("signedIn");
        } catch (error) {
          if (cancelled) return;
          setEntraError(errorMessage(error));
          setStatus("signedOut");
        }
      })
      .catch(() => {
        // Without /api/config the app still works in local mode.
        if (!cancelled && !tokenStore.access) setStatus("signedOut");
      });
    if (tokenStore.access) {
      fetchMe(queryClient)
        .then((m) => {
          if (cancelled) return;
          setMeState(m);
          setStatus("signedIn");
        })
        .catch((error: unknown) => {
          if (cancelled) return;
          if (error instanceof ApiError && (error.status === 401 || error.status === 404)) tokenStore.clear();
          setStatus("signedOut");
        });
    }
    return () => {
      cancelled = true;
    };
  }, [queryClient]);

  useEffect(() => {
    const end = () => {
      setMeState(null);
      setStatus("signedOut");
      void queryClient.resetQueries(); // nothing read for the last user is shown to the next
    };
    const off = onSessionEnded(end);
    // Logging out in another tab logs out here too.
    const onStorage = (event: StorageEvent) => {
      if (event.key === "cloneai.accessToken" && event.newValue === null) end();
    };
    window.addEventListener("storage", onStorage);
    return () => {
      off();
      window.removeEventListener("storage", onStorage);
    };
  }, [queryClient]);

  const login = useCallback(async (email: string, password: string) => {
    await logIn(email, password);
    void queryClient.resetQueries(); // what was read signed out (drafts are hidden then) is read again
    const m = await fetchMe(queryClient);
    setMeState(m);
    setStatus("signedIn");
    return m;
  }, [queryClient]);

  const signedOutHere = useCallback(() => {
    setMeState(null);
    setStatus("signedOut");
    void queryClient.resetQueries();
  }, [queryClient]);

  const logout = useCallback(async () => {
    if (entra.current) {
      // Microsoft's sign-out page does not end the access tokens Entra issued already: the API is told to refuse them first.
      await endAllSessions().catch(() => undefined);
      setEntraHint(false);
      await entra.current.signOut();
      return;
    }
    await logOut();
    signedOutHere();
  }, [signedOutHere]);

  const signOutEverywhere = useCallback(async () => {
    await endAllSessions();
    if (entra.current) {
      setEntraHint(false);
      await entra.current.signOut();
      return;
    }
    tokenStore.clear(); // the refresh token was revoked with the rest
    signedOutHere();
  }, [signedOutHere]);

  const signInWithMicrosoft = useCallback(async () => {
    if (!entra.current) throw new Error("Microsoft sign-in is not set up for this deployment.");
    setEntraError(null);
    await entra.current.signIn();
  }, []);

  const setMe = useCallback(
    (m: Me) => {
      queryClient.setQueryData(authKeys.me, m);
      setMeState(m);
      setStatus("signedIn");
    },
    [queryClient],
  );

  const value = useMemo<AuthContextValue>(
    () => ({ config, status, me, login, logout, signOutEverywhere, setMe, signInWithMicrosoft, entraError }),
    [config, status, me, login, logout, signOutEverywhere, setMe, signInWithMicrosoft, entraError],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
