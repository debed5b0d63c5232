// The messages of the chat page: the stored ones, plus the question being answered as its frames arrive.
import { ApiError } from "../../api/http";
import type { AnswerKind, ChatFrame, Citation, MessageRole, SessionMessage } from "../../api/contract";
import { withQuotes } from "./citations";

/**
 * sending: the question is on its way; waiting: no word of the answer yet (typing dots); streaming: words arrive;
 * done; failed (a question that got no full answer: it can be sent again with the same key).
 */
export type ItemState = "sending" | "waiting" | "streaming" | "done" | "failed";

/** Why a question got no answer, in words. */
export interface Failure {
  title: string;
  messages: string[];
  /** Whether sending the same question again may work (a network or server failure, not a refusal of the question). */
  retryable: boolean;
}

export interface ChatItem {
  /** React key: the message id, or u:/a: plus the client key for a question asked on this page. */
  key: string;
  id: string | null;
  role: MessageRole;
  content: string;
  citations: Citation[];
  answerKind: AnswerKind | null;
  clientMessageId: string | null;
  createdAt: string;
  state: ItemState;
  /** A failed question: why. */
  failure: Failure | null;
  /** A stored answer whose asker left mid-answer: the part written by then, kept (and charged) as the answer. */
  interrupted?: boolean;
}

export type ChatAction =
  | { type: "load"; messages: SessionMessage[] }
  | { type: "send"; clientMessageId: string; content: string; at: string }
  | { type: "frame"; clientMessageId: string; frame: ChatFrame }
  | { type: "answered"; clientMessageId: string; message: SessionMessage }
  | { type: "failed"; clientMessageId: string; failure: Failure };

const userKey = (clientMessageId: string) => `u:${clientMessageId}`;
const answerKey = (clientMessageId: string) => `a:${clientMessageId}`;

export function fromMessage(m: SessionMessage): ChatItem {
  return {
    key: m.id,
    id: m.id,
    role: m.role,
    content: m.content ?? "",
    citations: (m.citations ?? []).map(withQuotes),
    answerKind: m.answerKind ?? null,
    clientMessageId: m.clientMessageId ?? null,
    createdAt: m.createdAt,
    state: "done",
    failure: null,
    interrupted: m.interrupted === true,
  };
}

function update(items: ChatItem[], key: string, change: (item: ChatItem) => ChatItem): ChatItem[] {
  return items.map((item) => (item.key === key ? change(item) : item));
}

export function chatReducer(items: ChatItem[], action: ChatAction): ChatItem[] {
  switch (action.type) {
    case "load":
      return action.messages.map(fromMessage);

    case "send": {
      const { clientMessageId, content, at } = action;
      const placeholder: ChatItem = {
        key: answerKey(clientMessageId),
        id: null,
        role: "assistant",
        content: "",
        citations: [],
        answerKind: null,
        clientMessageId,
        createdAt: at,
        state: "waiting",
        failure: null,
      };
      const without = items.filter((item) => item.key !== answerKey(clientMessageId));
      const index = without.findIndex((item) => item.key === userKey(clientMessageId));
      if (index >= 0) {
        // A retry: the same question (and key) again, answered right under it.
        const retried = { ...without[index]!, state: "sending" as const, failure: null };
        return [...without.slice(0, index), retried, placeholder, ...without.slice(index + 1)];
      }
      const question: ChatItem = {
        key: userKey(clientMessageId),
        id: null,
        role: "user",
        content,
        citations: [],
        answerKind: null,
        clientMessageId,
        createdAt: at,
        state: "sending",
        failure: null,
      };
      return [...without, question, placeholder];
    }

    case "frame": {
      const { clientMessageId, frame } = action;
      const key = answerKey(clientMessageId);
      switch (frame.type) {
        case "start":
          return update(update(items, userKey(clientMessageId), (q) => ({ ...q, state: "done" })), key, (a) => ({
            ...a,
            id: frame.messageId,
            content: "", // a replayed answer starts over
            // An extractive answer's final list; a model's is empty until the end frame.
            citations: (frame.citations ?? []).map(withQuotes),
            answerKind: frame.answerKind,
            state: "waiting",
          }));
        case "delta":
          return update(items, key, (a) => ({ ...a, content: a.content + frame.text, state: "streaming" }));
        case "end":
          return update(update(items, userKey(clientMessageId), (q) => ({ ...q, state: "done", failure: null })), key, (a) => ({
            ...a,
            id: frame.messageId || a.id,
            // The answer's final citations replace the start frame's (a server without them leaves those).
            citations: Array.isArray(frame.citations) ? frame.citations.map(withQuotes) : a.citations,
            state: "done",
          }));
        case "error":
          // Out of credit: the session has ended, so sending again cannot help.
          if (frame.code === "out-of-credit") return fail(items, clientMessageId, { title: "Out of credit", messages: [frame.detail], retryable: false });
          return fail(items, clientMessageId, { title: "The answer was interrupted", messages: [frame.detail], retryable: true });
        default:
          return items;
      }
    }

    case "answered": {
      // A plain JSON answer (a server that did not stream): the whole message at once.
      const { clientMessageId, message } = action;
      return update(update(items, userKey(clientMessageId), (q) => ({ ...q, state: "done", failure: null })), answerKey(clientMessageId), () => ({
        ...fromMessage(message),
        key: answerKey(clientMessageId),
      }));
    }

    case "failed":
      return fail(items, action.clientMessageId, action.failure);

    default:
      return items;
  }
}

/** The question is marked failed; an answer with no words yet disappears, a cut-off one stays, marked. */
function fail(items: ChatItem[], clientMessageId: string, failure: Failure): ChatItem[] {
  const key = answerKey(clientMessageId);
  const answer = items.find((item) => item.key === key);
  const kept = answer && answer.content.trim() === "" ? items.filter((item) => item.key !== key) : update(items, key, (a) => ({ ...a, state: "failed" }));
  return update(kept, userKey(clientMessageId), (q) => ({ ...q, state: "failed", failure }));
}

/** Words for the fields the messages API checks. */
const FIELD_NAMES: Record<string, string> = {
  content: "Your message",
  clientmessageid: "The message key",
};

/** An error as a Failure: the problem's title and detail, and each field error in words. */
export function toFailure(error: unknown): Failure {
  if (error instanceof ApiError) {
    const messages: string[] = [];
    if (error.detail && error.detail !== error.title) messages.push(error.detail);
    for (const [key, list] of Object.entries(error.errors)) {
      const name = FIELD_NAMES[key.toLowerCase()];
      for (const message of list) messages.push(name ? `${name}: ${message}` : message);
    }
    // Refusals of the question itself (invalid, not allowed, session gone or ended) come back the same way every time.
    // 402: the wallet could not pay, and the session ended.
    const retryable = ![400, 401, 402, 403, 404, 409, 413, 415].includes(error.status);
    return { title: error.title.replace(/[.!]+$/, ""), messages, retryable };
  }
  return { title: "The message could not be sent", messages: [error instanceof Error ? error.message : "Something went wrong."], retryable: true };
}

/** Whether an answer is on its way for any question on the page. */
export function isAnswering(items: ChatItem[]): boolean {
  return items.some((item) => item.state === "sending" || item.state === "waiting" || item.state === "streaming");
}
