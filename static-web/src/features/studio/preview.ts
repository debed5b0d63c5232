// The owner's previews: a creator trying their own clone (from the Studio's "Try it", or any session they start with a clone
// of theirs, draft or published). The API marks such a session `preview`: it is free, not counted in the clone's statistics,
// not rateable, and no receipt is mailed for it.
import type { ChatSession } from "../../api/contract";
import { receiptSent } from "../chat/clock";

/** The badge the chat page shows on a preview. */
export const PREVIEW_LABEL = "Preview — free, not counted";

/** Whether the session is the owner trying their own clone. */
export function isPreview(session: Pick<ChatSession, "preview">): boolean {
  return session.preview === true;
}

/** Whether the session's user may rate it: a preview is not rated (the API refuses it with 409). */
export function canRate(session: Pick<ChatSession, "preview">): boolean {
  return !isPreview(session);
}

/** Whether an ended session's receipt is on its way: never for a preview. */
export function receiptExpected(
  features: Record<string, unknown>,
  session: Pick<ChatSession, "preview" | "messageCount" | "cost">,
): boolean {
  return !isPreview(session) && receiptSent(features, session);
}

/** The pricing line of a session: a preview says it is free, and what users pay. */
export function pricingLine(session: Pick<ChatSession, "preview">, formatted: string): string {
  return isPreview(session) ? `Free preview · users pay ${formatted}` : formatted;
}
