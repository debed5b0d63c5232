// The realtime hub's client: one WebSocket speaking Web PubSub's json.webpubsub.azure.v1 subprotocol (Azure Web PubSub, or
// the local host's stand-in at /client/hubs/cloneai). It negotiates through the API client (bearer token, VITE_API_BASE_URL),
// joins the groups the token allows (acks awaited), and hands the `data` of each message to the subscribers of its `type`.
// When the socket closes it negotiates again and reconnects, with a capped backoff; shortly before the token expires it
// opens a new connection and drops the old one once the new one has joined. It runs only while someone subscribes.
import { api } from "./client";
import { ApiError } from "./http";
import type { RealtimeNegotiation } from "./contract";

export const REALTIME_SUBPROTOCOL = "json.webpubsub.azure.v1";

/** What the client uses of a WebSocket, so tests can hand it a fake. */
export interface RealtimeSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

export type SocketFactory = (url: string, protocol: string) => RealtimeSocket;

/**
 * `idle`: nobody subscribes (or signed out). `connecting`: negotiating, opening or joining. `live`: joined, frames arrive.
 * `offline`: the connection failed; a retry is scheduled unless the API refused to negotiate (a 4xx other than 408 and 429).
 */
export type RealtimeState = "idle" | "connecting" | "live" | "offline";

/** The `data` of a message frame: an object with a string `type`. */
export type RealtimeData = { type: string } & Record<string, unknown>;
export type RealtimeHandler = (data: RealtimeData) => void;

export interface RealtimeOptions {
  negotiate?: (signal: AbortSignal) => Promise<RealtimeNegotiation>;
  createSocket?: SocketFactory;
  /** The first retry's delay; it doubles with each failure in a row, up to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** How long before the token expires a new connection is opened (at most half the token's lifetime). */
  renewBeforeMs?: number;
  /** How long a joinGroup may wait for its ack before the connection is given up. */
  ackTimeoutMs?: number;
  /** How long the connection stays up after the last subscriber leaves (a page swap should not reconnect). */
  lingerMs?: number;
  /** 0 ≤ x < 1, for the backoff's jitter (the delay is between half and all of the step). */
  random?: () => number;
  now?: () => number;
}

interface Link {
  socket: RealtimeSocket;
  negotiation: RealtimeNegotiation;
  acks: Map<number, (ok: boolean) => void>;
  /** Closed, or dropped by the client: its events are ignored from now on. */
  done: boolean;
}

const MAX_TIMER_MS = 2_147_483_647;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A refusal that retrying will not change: a 4xx other than 408 (timeout) and 429 (too many requests). */
function isPermanent(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
}

export class RealtimeClient {
  private readonly handlers = new Map<string, Set<{ handler: RealtimeHandler }>>();
  private readonly listeners = new Set<(state: RealtimeState) => void>();
  private readonly options: Required<RealtimeOptions>;
  private current: Link | null = null;
  private renewing: Link | null = null;
  private attempt: AbortController | null = null;
  private state: RealtimeState = "idle";
  private running = false;
  private disposed = false;
  private failures = 0;
  private nextAckId = 1;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  private lingerTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: RealtimeOptions = {}) {
    this.options = {
      negotiate: (signal) => api.realtime.negotiate(undefined, signal),
      createSocket: (url, protocol) => new WebSocket(url, protocol),
      minDelayMs: 1_000,
      maxDelayMs: 30_000,
      renewBeforeMs: 60_000,
      ackTimeoutMs: 10_000,
      lingerMs: 2_000,
      random: () => Math.random(),
      now: () => Date.now(),
      ...options,
    };
  }

  get status(): RealtimeState {
    return this.state;
  }

  /** Calls `handler` with the data of every message whose data has this `type`; connects if needed. Returns the unsubscribe. */
  subscribe(type: string, handler: RealtimeHandler): () => void {
    if (this.disposed) return () => {};
    const entry = { handler };
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(entry);
    clearTimeout(this.lingerTimer);
    if (!this.running) this.start();
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      set.delete(entry);
      if (set.size === 0 && this.handlers.get(type) === set) this.handlers.delete(type);
      if (this.handlers.size === 0 && this.running) {
        clearTimeout(this.lingerTimer);
        this.lingerTimer = setTimeout(() => {
          if (this.handlers.size === 0) this.stop();
        }, this.options.lingerMs);
      }
    };
  }

  /** Tells `listener` each new state. Listening does not keep the connection up. */
  onStateChange(listener: (state: RealtimeState) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Closes the connection for good (sign-out): no reconnect, no more frames or state changes. */
  dispose(): void {
    if (this.disposed) return;
    this.stop();
    this.disposed = true;
    this.handlers.clear();
    this.listeners.clear();
  }

  private start(): void {
    this.running = true;
    this.failures = 0;
    void this.connect(false);
  }

  private stop(): void {
    this.running = false;
    clearTimeout(this.retryTimer);
    clearTimeout(this.renewTimer);
    clearTimeout(this.lingerTimer);
    this.attempt?.abort();
    this.attempt = null;
    this.drop(this.current);
    this.drop(this.renewing);
    this.current = null;
    this.renewing = null;
    this.setState("idle");
  }

  /** Negotiates and opens a socket: the connection itself, or (`renewal`) its successor while the current one stays up. */
  private async connect(renewal: boolean): Promise<void> {
    if (!this.running) return;
    this.attempt?.abort();
    const attempt = new AbortController();
    this.attempt = attempt;
    if (!renewal) this.setState("connecting");
    let negotiation: RealtimeNegotiation;
    let socket: RealtimeSocket;
    try {
      negotiation = await this.options.negotiate(attempt.signal);
      if (attempt.signal.aborted) return;
      socket = this.options.createSocket(negotiation.url, REALTIME_SUBPROTOCOL);
    } catch (error) {
      if (attempt.signal.aborted) return;
      this.attempt = null;
      if (renewal) this.renewLater();
      else if (isPermanent(error)) this.setState("offline");
      else this.retry();
      return;
    }
    this.attempt = null;
    const link: Link = { socket, negotiation, acks: new Map(), done: false };
    if (renewal) this.renewing = link;
    else this.current = link;
    socket.onopen = () => void this.join(link);
    socket.onmessage = (event) => this.receive(link, event.data);
    socket.onclose = () => this.closed(link);
    socket.onerror = () => {}; // a close event follows
  }

  private async join(link: Link): Promise<void> {
    const joined = await Promise.all(link.negotiation.groups.map((group) => this.joinGroup(link, group)));
    if (link.done) return;
    if (!joined.every(Boolean)) {
      this.closed(link);
      return;
    }
    if (link === this.renewing) {
      const old = this.current;
      this.current = link;
      this.renewing = null;
      this.drop(old);
    }
    if (link !== this.current) return;
    this.failures = 0;
    this.setState("live");
    this.scheduleRenewal(link.negotiation.expiresAt);
  }

  private joinGroup(link: Link, group: string): Promise<boolean> {
    const ackId = this.nextAckId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(false), this.options.ackTimeoutMs);
      const settle = (ok: boolean) => {
        clearTimeout(timer);
        link.acks.delete(ackId);
        resolve(ok);
      };
      link.acks.set(ackId, settle);
      try {
        link.socket.send(JSON.stringify({ type: "joinGroup", group, ackId }));
      } catch {
        settle(false);
      }
    });
  }

  private receive(link: Link, raw: unknown): void {
    if (link.done || typeof raw !== "string") return;
    let frame: unknown;
    try {
      frame = JSON.parse(raw);
    } catch {
      return;
    }
    if (!isObject(frame)) return;
    if (frame.type === "ack" && typeof frame.ackId === "number") {
      // "Duplicate": the service already handled this ackId, so the join stands.
      const ok = frame.success === true || (isObject(frame.error) && frame.error.name === "Duplicate");
      link.acks.get(frame.ackId)?.(ok);
      return;
    }
    if (frame.type !== "message" || link !== this.current) return;
    const data = frame.data;
    if (!isObject(data) || typeof data.type !== "string") return;
    for (const { handler } of [...(this.handlers.get(data.type) ?? [])]) {
      try {
        handler(data as RealtimeData);
      } catch (error) {
        // One broken subscriber must not starve the others; the error is still reported.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  private closed(link: Link): void {
    if (link.done) return;
    this.drop(link);
    if (link === this.renewing) {
      this.renewing = null;
      this.renewLater();
    } else if (link === this.current) {
      this.current = null;
      this.drop(this.renewing);
      this.renewing = null;
      this.attempt?.abort();
      this.attempt = null;
      clearTimeout(this.renewTimer);
      this.retry();
    }
  }

  /** Forgets a link: its pending joins fail, its events are ignored, its socket is closed. */
  private drop(link: Link | null): void {
    if (!link || link.done) return;
    link.done = true;
    for (const settle of [...link.acks.values()]) settle(false);
    const { socket } = link;
    socket.onopen = socket.onmessage = socket.onerror = null;
    socket.onclose = null;
    try {
      socket.close(1000);
    } catch {
      // already closed
    }
  }

  private retry(): void {
    if (!this.running) return;
    this.setState("offline");
    const step = Math.min(this.options.maxDelayMs, this.options.minDelayMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    const delay = step * (0.5 + this.options.random() / 2);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(false), delay);
  }

  private scheduleRenewal(expiresAt: string): void {
    clearTimeout(this.renewTimer);
    const lifetime = Date.parse(expiresAt) - this.options.now();
    if (!Number.isFinite(lifetime)) return;
    const delay = Math.max(lifetime - this.options.renewBeforeMs, lifetime / 2, 1_000);
    this.renewTimer = setTimeout(() => void this.connect(true), Math.min(delay, MAX_TIMER_MS));
  }

  /** A renewal failed; the current connection stays, and another renewal is tried later. */
  private renewLater(): void {
    if (!this.running || !this.current) return;
    clearTimeout(this.renewTimer);
    this.renewTimer = setTimeout(() => void this.connect(true), this.options.maxDelayMs);
  }

  private setState(state: RealtimeState): void {
    if (this.state === state || this.disposed) return;
    this.state = state;
    for (const listener of [...this.listeners]) listener(state);
  }
}
