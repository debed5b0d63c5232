import { createContext, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { RealtimeClient, type RealtimeData, type RealtimeState } from "../../api/realtime";
import { useAuth } from "../auth/AuthProvider";

const RealtimeContext = createContext<RealtimeClient | null>(null);

/**
 * One realtime connection per signed-in user, shared by every page: made when someone signs in, closed for good when they
 * sign out (or another user signs in). It connects only while a component listens (useRealtime).
 */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const { status, me } = useAuth();
  const userId = status === "signedIn" ? (me?.id ?? null) : null;
  const [client, setClient] = useState<RealtimeClient | null>(null);
  useEffect(() => {
    if (!userId) {
      setClient(null);
      return;
    }
    const created = new RealtimeClient();
    setClient(created);
    return () => created.dispose();
  }, [userId]);
  return <RealtimeContext.Provider value={client}>{children}</RealtimeContext.Provider>;
}

/**
 * Calls `handler` with the data of each realtime message of `type` (e.g. "document") while the component is mounted, signed in
 * and `enabled`. The latest handler is called; changing it does not resubscribe.
 */
export function useRealtime<T extends RealtimeData = RealtimeData>(type: string, handler: (data: T) => void, enabled = true): void {
  const client = useContext(RealtimeContext);
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!client || !enabled) return;
    return client.subscribe(type, (data) => latest.current(data as T));
  }, [client, type, enabled]);
}

/** The shared connection's state; "live" once it has joined its groups. "idle" when signed out or nobody listens. */
export function useRealtimeState(): RealtimeState {
  const client = useContext(RealtimeContext);
  const subscribe = useCallback((onChange: () => void) => (client ? client.onStateChange(onChange) : () => {}), [client]);
  return useSyncExternalStore(subscribe, () => client?.status ?? "idle", () => "idle");
}
