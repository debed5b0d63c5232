// The dashboard's periods: the last 7, 30 or 90 days, today (UTC) included.
import type { DashboardRange } from "./api";

export const RANGES = [7, 30, 90] as const;
export type RangeDays = (typeof RANGES)[number];

const day = (date: Date) => date.toISOString().slice(0, 10);

/** The last `days` UTC days ending today: { from, to } as yyyy-MM-dd. */
export function lastDays(days: number, now: Date = new Date()): DashboardRange {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const from = new Date(to.getTime() - (days - 1) * 86_400_000);
  return { from: day(from), to: day(to) };
}

/** "2026-12-06" → "Dec 6" (the day as the API gives it, in UTC). */
export function shortDate(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  if (!y || !m || !d) return date;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
}

/** A `?days=` value: one of the offered periods, else 30. */
export function parseDays(value: string | null): RangeDays {
  const n = Number(value);
  return (RANGES as readonly number[]).includes(n) ? (n as RangeDays) : 30;
}
