// Words for what the audit log records, shared by the admin console's audit table and the user's access log.

const ACTIONS: Record<string, string> = {
  "user.disabled": "Disabled the account",
  "user.enabled": "Enabled the account",
  "user.roles-changed": "Changed the roles",
  "session.read": "Read a conversation",
  "clone.unpublished": "Unpublished the clone",
  "clone.featured": "Featured the clone",
  "clone.unfeatured": "Stopped featuring the clone",
  "clone.verified": "Verified the clone",
  "clone.unverified": "Took back the clone's verification",
  "clone.hidden": "Hid the clone",
  "clone.restored": "Restored the clone",
  "report.resolved": "Resolved a report",
  "verification.approved": "Approved a verification request",
  "verification.rejected": "Rejected a verification request",
  "payout.paid": "Paid a payout",
  "payout.rejected": "Rejected a payout",
};

/** The actions the audit log can be filtered by, as [value, label]. */
export const AUDIT_ACTIONS: ReadonlyArray<readonly [string, string]> = Object.entries(ACTIONS);

/** A sentence for an audit action; an action this app does not know yet reads as its own name ("report.escalated" → "Report escalated"). */
export function actionLabel(action: string): string {
  const known = ACTIONS[action];
  if (known) return known;
  const words = action.replace(/[._-]+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : "Unknown action";
}

/** What an entry was about, for the audit table: "user 1f3a…", "clone 9c2b…". Long ids are shortened to their first 8 characters. */
export function targetLabel(targetType: string, targetId: string): string {
  const id = targetId.length > 12 ? `${targetId.slice(0, 8)}…` : targetId;
  return `${targetType} ${id}`;
}

/** The user's view of an access: what was done to their account or data, in their terms. */
export function accessLabel(action: string): string {
  switch (action) {
    case "session.read":
      return "Read one of your conversations";
    case "user.disabled":
      return "Disabled your account";
    case "user.enabled":
      return "Enabled your account";
    case "user.roles-changed":
      return "Changed your roles";
    default:
      return actionLabel(action);
  }
}

export const REASON_MAX = 500;

/** The reason an admin typed, trimmed, or an error to show under the field (the API's own limits: 1 to 500 characters). */
export function checkReason(text: string): { reason: string; error: null } | { reason: null; error: string } {
  const reason = text.trim();
  if (!reason) return { reason: null, error: "Give a reason: it goes to the audit log." };
  if (reason.length > REASON_MAX) return { reason: null, error: `At most ${REASON_MAX} characters.` };
  return { reason, error: null };
}
