import type { InvoiceSummary } from "../../api/contract";

/** "December 2026" for a statement of a calendar month (UTC); "1 Nov – 30 Nov 2026" for any other period. */
export function periodLabel(item: Pick<InvoiceSummary, "periodStart" | "periodEnd">): string {
  const start = new Date(item.periodStart);
  const end = new Date(item.periodEnd);
  const wholeMonth =
    start.getUTCDate() === 1 &&
    start.getUTCHours() === 0 &&
    end.getUTCDate() === 1 &&
    end.getUTCHours() === 0 &&
    (end.getUTCFullYear() * 12 + end.getUTCMonth()) - (start.getUTCFullYear() * 12 + start.getUTCMonth()) === 1;
  if (wholeMonth) return new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" }).format(start);
  const day = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  return `${day.format(start)} – ${day.format(new Date(end.getTime() - 1))}`;
}

/** "Open", "Closed", or the invoice's own status with a capital. */
export function statusLabel(status: string): string {
  return status ? status[0]!.toUpperCase() + status.slice(1) : status;
}
