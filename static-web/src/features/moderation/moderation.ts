// Pure logic for the moderation UI: the report form's reasons and checks, grouping the queue by clone, and evidence links.
import type { AdminReport, ReportInput, ReportReason, ReportedClone } from "./api";

export const MAX_DETAILS = 2000;
export const MAX_REASON = 500;
export const MAX_LINKS = 5;
export const MIN_STATEMENT = 20;
export const MAX_STATEMENT = 2000;

export const REPORT_REASONS: { value: ReportReason; label: string; hint: string }[] = [
  { value: "impersonation", label: "Impersonation", hint: "It pretends to be someone it is not." },
  { value: "harmful", label: "Harmful", hint: "Dangerous, hateful or abusive content." },
  { value: "misleading", label: "Misleading", hint: "False claims or advice presented as fact." },
  { value: "spam", label: "Spam", hint: "Advertising, scams or junk." },
  { value: "other", label: "Something else", hint: "Tell us what is wrong." },
];

export function reasonLabel(reason: string): string {
  return REPORT_REASONS.find((r) => r.value === reason)?.label ?? reason;
}

/** Field errors the server would give, checked before sending; empty when the form can be sent. */
export function reportErrors(reason: ReportReason | "", details: string): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  if (!reason) errors.reason = ["Pick a reason."];
  if (details.length > MAX_DETAILS) errors.details = [`At most ${MAX_DETAILS} characters.`];
  else if (reason === "other" && details.trim() === "") errors.details = ["Say what is wrong."];
  return errors;
}

/** The request body: trimmed details, and the answer's ids when an answer is reported. */
export function reportBody(reason: ReportReason, details: string, answer?: { sessionId: string; messageId: string }): ReportInput {
  const trimmed = details.trim();
  return { reason, ...(trimmed ? { details: trimmed } : {}), ...(answer ? { sessionId: answer.sessionId, messageId: answer.messageId } : {}) };
}

export interface ReportGroup {
  cloneId: string;
  clone: ReportedClone | null;
  reports: AdminReport[];
}

/** The queue's reports grouped by clone, in the order each clone first appears (oldest report first). */
export function groupByClone(reports: AdminReport[]): ReportGroup[] {
  const groups = new Map<string, ReportGroup>();
  for (const r of reports) {
    const id = r.reportedClone?.id ?? `missing:${r.id}`;
    const group = groups.get(id) ?? { cloneId: id, clone: r.reportedClone ?? null, reports: [] };
    group.reports.push(r);
    groups.set(id, group);
  }
  return [...groups.values()];
}

/** The evidence links typed one per line: trimmed, blank lines dropped, duplicates once. */
export function parseLinks(text: string): string[] {
  return [...new Set(text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== ""))];
}

/** Field errors for a verification request, as the server checks them. */
export function verificationErrors(links: string[], statement: string): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  if (links.length === 0) errors.links = ["Give at least one link that shows who you are."];
  else if (links.length > MAX_LINKS) errors.links = [`At most ${MAX_LINKS} links.`];
  else if (!links.every(isWebLink)) errors.links = ["Each link must be an http or https address."];
  const s = statement.trim();
  if (s.length < MIN_STATEMENT) errors.statement = [`At least ${MIN_STATEMENT} characters.`];
  else if (statement.length > MAX_STATEMENT) errors.statement = [`At most ${MAX_STATEMENT} characters.`];
  return errors;
}

/** Only http(s) links are ever rendered as links (an admin opens them). */
export function isWebLink(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
