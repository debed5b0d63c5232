import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { ApiError, api, onSessionEnded, tokenStore } from "../../api/client";
import type { AppConfig, Me } from "../../api/types";

type Status = "loading" | "signedIn" | "signedOut";

export interface AuthContextValue {
  config: AppConfig;
  status: Status;
  me: Me | null;
  login: (email: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  setMe: (me: Me) => void;
}

const DEFAULT_CONFIG: AppConfig = { authMode: "local", version: "", features: {} };

const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth must be used inside <AuthProvider>.");
  return value;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [config, setConfig] = useState<AppConfig>(DEFAULT_CONFIG);
  const [me, setMeState] = useState<Me | null>(null);
  const [status, setStatus] = useState<Status>(tokenStore.access ? "loading" : "signedOut");

  useEffect(() => {
    let cancelled = false;
    api
      .config()
      .then((c) => !cancelled && setConfig({ ...DEFAULT_CONFIG, ...c }))
      .catch(() => {
        // Without /api/config the app still works in local mode.
      });
    if (tokenStore.access) {
      api.me
        .get()
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
  }, []);

  useEffect(() => {
    const end = () => {
      setMeState(null);
      setStatus("signedOut");
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
  }, []);

  const login = useCallback(async (email: string, password: string) => {
    await api.auth.login(email, password);
    const m = await api.me.get();
    setMeState(m);
    setStatus("signedIn");
    return m;
  }, []);

  const logout = useCallback(async () => {
    await api.auth.logout();
    setMeState(null);
    setStatus("signedOut");
  }, []);

  const setMe = useCallback((m: Me) => {
    setMeState(m);
    setStatus("signedIn");
  }, []);

  const value = useMemo<AuthContextValue>(
    () => ({ config, status, me, login, logout, setMe }),
    [config, status, me, login, logout, setMe],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
