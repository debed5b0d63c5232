// Server-sent events (text/event-stream) read from a fetch response body: the answer to POST /api/sessions/{id}/messages.
// EventSource can't POST or send a bearer token, so the stream is read by hand: bytes -> text (TextDecoder keeps a
// character split across chunks) -> lines (\n, \r\n or \r, even when a chunk ends between \r and \n) -> events at each
// blank line -> chat frames (the JSON of the data lines).
import type { ChatFrame } from "../../api/contract";

export interface SseEvent {
  /** The `event:` field; "message" when the block has none. */
  event: string;
  /** The `data:` lines joined with "\n". */
  data: string;
  id: string | null;
}

/**
 * Incremental parser: `push` any piece of the stream, get back the events it completes. Follows the HTML spec's
 * event-stream interpretation: `field: value` lines (one optional space after the colon), `:` comment lines, data
 * lines joined with "\n", a blank line dispatches, a block without data dispatches nothing.
 */
export class SseParser {
  private buffer = "";
  private started = false;
  private event = "";
  private data: string[] = [];
  private id: string | null = null;

  /** Feeds text; returns the events completed by it. */
  push(text: string): SseEvent[] {
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a byte order mark starts no field
    }
    this.buffer += text;
    const events: SseEvent[] = [];
    let from = 0;
    for (;;) {
      const cr = this.buffer.indexOf("\r", from);
      const lf = this.buffer.indexOf("\n", from);
      if (cr === -1 && lf === -1) break;
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // "\r" at the very end may be the first half of "\r\n": wait for the next piece.
        if (cr === this.buffer.length - 1) break;
        end = cr;
        next = this.buffer[cr + 1] === "\n" ? cr + 2 : cr + 1;
      } else {
        end = lf;
        next = lf + 1;
      }
      this.line(this.buffer.slice(from, end), events);
      from = next;
    }
    this.buffer = this.buffer.slice(from);
    return events;
  }

  /**
   * The end of the stream: a pending "\r" ends its line, but an event whose block was never closed by a blank line is
   * dropped, as the spec says (the server always closes its blocks).
   */
  finish(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.buffer.endsWith("\r")) {
      this.line(this.buffer.slice(0, -1), events);
      this.buffer = "";
    }
    this.buffer = "";
    this.event = "";
    this.data = [];
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === "") {
      if (this.data.length > 0) events.push({ event: this.event || "message", data: this.data.join("\n"), id: this.id });
      this.event = "";
      this.data = [];
      return;
    }
    if (line.startsWith(":")) return; // a comment (keep-alive)
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        this.event = value;
        break;
      case "data":
        this.data.push(value);
        break;
      case "id":
        if (!value.includes("\0")) this.id = value;
        break;
      default:
        break; // "retry" and unknown fields mean nothing here
    }
  }
}

const FRAME_TYPES = new Set(["start", "delta", "end", "error"]);

/**
 * The chat frame in an event, or null when the data is not a frame (not JSON, no known type). The JSON's own `type`
 * wins; the `event:` name stands in when the JSON has none.
 */
export function toFrame(event: SseEvent): ChatFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(event.data);
  } catch {
    return null;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const raw = value as Record<string, unknown>;
  const type = typeof raw.type === "string" ? raw.type : event.event;
  if (!FRAME_TYPES.has(type)) return null;
  const frame = { ...raw, type } as Record<string, unknown>;
  switch (type) {
    case "start":
      if (!Array.isArray(frame.citations)) frame.citations = [];
      break;
    case "end":
      // The answer's final citations; a frame without a list (an older server) is passed on without one.
      if (!Array.isArray(frame.citations)) delete frame.citations;
      break;
    case "delta":
      if (typeof frame.text !== "string") frame.text = "";
      break;
    case "error":
      if (typeof frame.detail !== "string" || !frame.detail) frame.detail = "The answer could not be completed.";
      break;
    default:
      break;
  }
  return frame as unknown as ChatFrame;
}

/** Decodes byte (or text) chunks into frames; the same frames however the stream is cut into chunks. */
export class FrameDecoder {
  private readonly decoder = new TextDecoder("utf-8");
  private readonly parser = new SseParser();

  push(chunk: Uint8Array | string): ChatFrame[] {
    const text = typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    return this.frames(this.parser.push(text));
  }

  finish(): ChatFrame[] {
    const tail = this.decoder.decode();
    return this.frames([...this.parser.push(tail), ...this.parser.finish()]);
  }

  private frames(events: SseEvent[]): ChatFrame[] {
    const out: ChatFrame[] = [];
    for (const event of events) {
      const frame = toFrame(event);
      if (frame) out.push(frame);
    }
    return out;
  }
}

/**
 * Reads a text/event-stream body to its end, calling `onFrame` for each frame as it arrives. Cancelling `signal`
 * stops reading (the promise then rejects with the abort error).
 */
export async function readFrames(
  body: ReadableStream<Uint8Array>,
  onFrame: (frame: ChatFrame) => void,
  signal?: AbortSignal,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new FrameDecoder();
  const onAbort = () => void reader.cancel().catch(() => {});
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { done, value } = await reader.read();
      if (done) break;
      for (const frame of decoder.push(value)) onFrame(frame);
    }
    signal?.throwIfAborted();
    for (const frame of decoder.finish()) onFrame(frame);
  } finally {
    signal?.removeEventListener("abort", onAbort);
    try {
      reader.releaseLock();
    } catch {
      // already released or errored
    }
  }
}
