// The session clock and running cost shown while chatting. The API's figures win: each answer (an `end` frame) and each
// session read bring fresh ones; between them the clock runs on from the last figures it got.
import { useEffect, useState } from "react";
import type { ChatSession, EndReason, Money } from "../../api/contract";

/**
 * Seconds the session has run at `now` (ms): from `startedAt` until `endedAt`, or until now while active. Measured from
 * the API's own `elapsedSeconds` as of `syncedAt` (when the session was read), so a browser clock that is off does not
 * move the timer.
 */
export function elapsedAt(
  session: Pick<ChatSession, "status" | "elapsedSeconds" | "startedAt" | "endedAt"> & { clockStartedAt?: string | null },
  syncedAt: number,
  now: number,
): number {
  if (session.status !== "active") {
    if (Number.isFinite(session.elapsedSeconds)) return Math.max(0, session.elapsedSeconds);
    const start = Date.parse(session.startedAt);
    const end = session.endedAt ? Date.parse(session.endedAt) : Number.NaN;
    return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, (end - start) / 1000) : 0;
  }
  // The clock starts at the first question: until then it stands still.
  if (session.clockStartedAt === null) return 0;
  return Math.max(0, session.elapsedSeconds + Math.max(0, now - syncedAt) / 1000);
}

/** Minutes billed for `seconds` of clock: every started minute (the API bills the same way). */
function startedMinutes(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}

/**
 * The running cost at `elapsedNow`: the API's cost as of its `elapsedSeconds`, plus the per-minute price of each minute
 * started since. An ended session's cost is final.
 */
export function costAt(
  session: Pick<ChatSession, "status" | "cost" | "elapsedSeconds" | "pricing"> & { clockStartedAt?: string | null },
  elapsedNow: number,
): Money {
  const perMinute = session.pricing.perMinute;
  if (session.status !== "active" || perMinute === null || perMinute === undefined || session.clockStartedAt === null) return session.cost;
  const more = Math.max(0, startedMinutes(elapsedNow) - startedMinutes(session.elapsedSeconds));
  return { amount: session.cost.amount + more * perMinute, currency: session.cost.currency };
}

/** 5 -> "0:05", 754 -> "12:34", 3723 -> "1:02:03". */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** 754 -> "12 minutes 34 seconds", for screen readers and titles. */
export function spokenDuration(seconds: number): string {
  const total = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts: string[] = [];
  if (h) parts.push(`${h} hour${h === 1 ? "" : "s"}`);
  if (m) parts.push(`${m} minute${m === 1 ? "" : "s"}`);
  if (s || parts.length === 0) parts.push(`${s} second${s === 1 ? "" : "s"}`);
  return parts.join(" ");
}

export function endReasonText(reason: EndReason | null): string {
  switch (reason) {
    case "user":
      return "You ended this session.";
    case "idle":
      return "This session ended by itself after a while without messages.";
    case "max-length":
      return "This session reached its maximum length.";
    case "out-of-credit":
      return "This session ended when your wallet ran out of credit.";
    default:
      return "This session has ended.";
  }
}

/** Date.now(), updated every second while `running`. */
export function useNow(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}

/**
 * Whether the API emailed a receipt for an ended session: it does when the host sends email (`features.receipts`) and the
 * session was used or cost something.
 */
export function receiptSent(features: Record<string, unknown>, session: { messageCount: number; cost: { amount: number } }): boolean {
  return features.receipts === true && (session.messageCount > 0 || session.cost.amount > 0);
}
