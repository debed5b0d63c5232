import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "./http";
import { REALTIME_SUBPROTOCOL, RealtimeClient, type RealtimeOptions, type RealtimeSocket, type RealtimeState } from "./realtime";
import type { RealtimeNegotiation } from "./contract";

type Sent = { type: string; group?: string; ackId?: number };

/** A WebSocket stand-in: records what the client sends; the test plays the server (open, ack, message, close). */
class FakeSocket implements RealtimeSocket {
  readonly sent: Sent[] = [];
  closed = false;
  onopen: RealtimeSocket["onopen"] = null;
  onmessage: RealtimeSocket["onmessage"] = null;
  onclose: RealtimeSocket["onclose"] = null;
  onerror: RealtimeSocket["onerror"] = null;

  constructor(
    readonly url: string,
    readonly protocol: string,
  ) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Sent);
  }

  close(): void {
    this.closed = true;
  }

  open(): void {
    this.onopen?.({} as Event);
    this.frame({ type: "system", event: "connected", userId: "u1", connectionId: "c1" });
  }

  frame(value: unknown): void {
    this.onmessage?.({ data: JSON.stringify(value) } as MessageEvent);
  }

  joins(): Sent[] {
    return this.sent.filter((s) => s.type === "joinGroup");
  }

  ackJoins(success = true): void {
    for (const join of this.joins()) {
      this.frame(success ? { type: "ack", ackId: join.ackId, success: true } : { type: "ack", ackId: join.ackId, success: false, error: { name: "Forbidden", message: "no" } });
    }
  }

  groupMessage(data: unknown, group = "user-u1"): void {
    this.frame({ type: "message", from: "group", group, dataType: "json", data });
  }

  drop(): void {
    this.onclose?.({ code: 1006, reason: "" } as CloseEvent);
  }
}

const HOUR_MS = 60 * 60 * 1000;

function negotiation(n: number, groups = ["user-u1"]): RealtimeNegotiation {
  return {
    url: `ws://127.0.0.1:7071/client/hubs/cloneai?access_token=t${n}`,
    baseUrl: "ws://127.0.0.1:7071/client/hubs/cloneai",
    accessToken: `t${n}`,
    expiresAt: new Date(Date.now() + HOUR_MS).toISOString(),
    groups,
  };
}

describe("RealtimeClient", () => {
  let sockets: FakeSocket[];
  let negotiate: ReturnType<typeof vi.fn<(signal: AbortSignal) => Promise<RealtimeNegotiation>>>;
  let states: RealtimeState[];

  function client(options: RealtimeOptions = {}): RealtimeClient {
    const c = new RealtimeClient({
      negotiate,
      createSocket: (url, protocol) => {
        const socket = new FakeSocket(url, protocol);
        sockets.push(socket);
        return socket;
      },
      random: () => 1,
      ...options,
    });
    c.onStateChange((s) => states.push(s));
    return c;
  }

  /** Lets pending promises (the negotiation) settle. */
  const settle = () => vi.advanceTimersByTimeAsync(0);

  async function connected(c: RealtimeClient, handler = vi.fn()): Promise<FakeSocket> {
    c.subscribe("document", handler);
    await settle();
    const socket = sockets.at(-1)!;
    socket.open();
    socket.ackJoins();
    await settle();
    return socket;
  }

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    states = [];
    let n = 0;
    negotiate = vi.fn((_signal: AbortSignal) => Promise.resolve(negotiation(++n)));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("does nothing until someone subscribes", async () => {
    const c = client();
    await settle();

    expect(negotiate).not.toHaveBeenCalled();
    expect(c.status).toBe("idle");
  });

  it("opens the negotiated URL with the Web PubSub subprotocol and joins every group, live once all are acked", async () => {
    const c = client();
    negotiate.mockResolvedValueOnce(negotiation(1, ["user-u1", "session-s1"]));
    c.subscribe("document", vi.fn());
    await settle();

    const socket = sockets[0]!;
    expect(socket.url).toBe("ws://127.0.0.1:7071/client/hubs/cloneai?access_token=t1");
    expect(socket.protocol).toBe(REALTIME_SUBPROTOCOL);
    expect(c.status).toBe("connecting");

    socket.open();
    const joins = socket.joins();
    expect(joins.map((j) => j.group)).toEqual(["user-u1", "session-s1"]);
    expect(new Set(joins.map((j) => j.ackId)).size).toBe(2);

    socket.frame({ type: "ack", ackId: joins[0]!.ackId, success: true });
    await settle();
    expect(c.status).toBe("connecting");

    // "Duplicate" means the service had already handled that join.
    socket.frame({ type: "ack", ackId: joins[1]!.ackId, success: false, error: { name: "Duplicate", message: "again" } });
    await settle();
    expect(c.status).toBe("live");
    expect(states).toEqual(["connecting", "live"]);
  });

  it("hands each message's data to the subscribers of its type, and ignores everything else", async () => {
    const c = client();
    const documents = vi.fn();
    const other = vi.fn();
    c.subscribe("other", other);
    const socket = await connected(c, documents);
    const frame = { type: "document", cloneId: "c1", documentId: "d1", status: "processing", stage: "embedding", progress: 40, chunkCount: 3, error: null };

    socket.groupMessage(frame);
    socket.frame({ type: "message", from: "server", dataType: "json", data: { type: "other", n: 1 } });
    socket.frame({ type: "message", from: "group", group: "user-u1", dataType: "text", data: "plain text" });
    socket.frame({ type: "system", event: "error", message: "nope" });
    socket.onmessage?.({ data: "not json" } as MessageEvent);

    expect(documents).toHaveBeenCalledTimes(1);
    expect(documents).toHaveBeenCalledWith(frame);
    expect(other).toHaveBeenCalledWith({ type: "other", n: 1 });
  });

  it("stops calling a handler once it unsubscribes", async () => {
    const c = client();
    const kept = vi.fn();
    const gone = vi.fn();
    const socket = await connected(c, kept);
    const off = c.subscribe("document", gone);

    off();
    off();
    socket.groupMessage({ type: "document", documentId: "d1" });

    expect(kept).toHaveBeenCalledTimes(1);
    expect(gone).not.toHaveBeenCalled();
  });

  it("gives the connection up when a join is refused, then tries again", async () => {
    const c = client({ minDelayMs: 1000 });
    c.subscribe("document", vi.fn());
    await settle();
    sockets[0]!.open();
    sockets[0]!.ackJoins(false);
    await settle();

    expect(sockets[0]!.closed).toBe(true);
    expect(c.status).toBe("offline");

    await vi.advanceTimersByTimeAsync(1000);
    expect(negotiate).toHaveBeenCalledTimes(2);
    expect(sockets).toHaveLength(2);
  });

  it("gives the connection up when a join is never acked", async () => {
    const c = client({ ackTimeoutMs: 5000 });
    c.subscribe("document", vi.fn());
    await settle();
    sockets[0]!.open();

    await vi.advanceTimersByTimeAsync(5000);
    expect(sockets[0]!.closed).toBe(true);
    expect(c.status).toBe("offline");
  });

  it("reconnects after the socket closes, negotiating again, with a backoff that doubles up to its cap", async () => {
    const c = client({ minDelayMs: 1000, maxDelayMs: 4000 });
    const handler = vi.fn();
    const first = await connected(c, handler);

    first.drop();
    expect(c.status).toBe("offline");
    await vi.advanceTimersByTimeAsync(999);
    expect(negotiate).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(negotiate).toHaveBeenCalledTimes(2);
    expect(sockets[1]!.url).toContain("access_token=t2");

    // Failing again and again: 2 s, then 4 s, then still 4 s.
    sockets[1]!.drop();
    await vi.advanceTimersByTimeAsync(2000);
    expect(sockets).toHaveLength(3);
    sockets[2]!.drop();
    await vi.advanceTimersByTimeAsync(3999);
    expect(sockets).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(4);
    sockets[3]!.drop();
    await vi.advanceTimersByTimeAsync(4000);
    expect(sockets).toHaveLength(5);

    // Once live again the backoff starts over, and frames flow from the new socket.
    sockets[4]!.open();
    sockets[4]!.ackJoins();
    await settle();
    expect(c.status).toBe("live");
    sockets[4]!.groupMessage({ type: "document", documentId: "d2" });
    expect(handler).toHaveBeenCalledWith({ type: "document", documentId: "d2" });
    sockets[4]!.drop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(sockets).toHaveLength(6);
  });

  it("retries a negotiation that failed on the way, but not one the API refused", async () => {
    const c = client({ minDelayMs: 1000 });
    negotiate.mockRejectedValueOnce(new ApiError({ status: 503, title: "Unavailable", detail: "", errors: {} }));
    c.subscribe("document", vi.fn());
    await settle();
    expect(c.status).toBe("offline");
    await vi.advanceTimersByTimeAsync(1000);
    expect(sockets).toHaveLength(1);

    const refused = client();
    negotiate.mockRejectedValueOnce(new ApiError({ status: 404, title: "Not found", detail: "", errors: {} }));
    refused.subscribe("document", vi.fn());
    await settle();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(refused.status).toBe("offline");
    expect(negotiate).toHaveBeenCalledTimes(3);
  });

  it("before the token expires, opens a new connection and closes the old one once the new one has joined", async () => {
    const c = client({ renewBeforeMs: 60_000 });
    const handler = vi.fn();
    const first = await connected(c, handler);

    await vi.advanceTimersByTimeAsync(HOUR_MS - 60_001);
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(negotiate).toHaveBeenCalledTimes(2);
    const second = sockets[1]!;
    expect(second.url).toContain("access_token=t2");

    // Until the new one has joined, the old one still delivers.
    second.open();
    first.groupMessage({ type: "document", documentId: "old" });
    expect(c.status).toBe("live");
    second.ackJoins();
    await settle();

    expect(first.closed).toBe(true);
    expect(c.status).toBe("live");
    expect(states).toEqual(["connecting", "live"]);
    second.groupMessage({ type: "document", documentId: "new" });
    expect(handler.mock.calls.map(([d]) => (d as { documentId: string }).documentId)).toEqual(["old", "new"]);

    // The old socket's late close changes nothing.
    first.drop();
    expect(c.status).toBe("live");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(2);
  });

  it("keeps the connection through a short gap between subscribers, and closes it after the last one leaves", async () => {
    const c = client({ lingerMs: 2000 });
    const off = c.subscribe("document", vi.fn());
    await settle();
    const socket = sockets[0]!;
    socket.open();
    socket.ackJoins();
    await settle();

    off();
    await vi.advanceTimersByTimeAsync(1000);
    const again = c.subscribe("document", vi.fn());
    await vi.advanceTimersByTimeAsync(5000);
    expect(socket.closed).toBe(false);
    expect(sockets).toHaveLength(1);

    again();
    await vi.advanceTimersByTimeAsync(2000);
    expect(socket.closed).toBe(true);
    expect(c.status).toBe("idle");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);

    // A new subscriber connects again.
    c.subscribe("document", vi.fn());
    await settle();
    expect(sockets).toHaveLength(2);
  });

  it("never reconnects once disposed", async () => {
    const c = client();
    const handler = vi.fn();
    const socket = await connected(c, handler);

    c.dispose();
    expect(socket.closed).toBe(true);
    expect(c.status).toBe("idle");
    socket.drop();
    socket.groupMessage({ type: "document", documentId: "late" });
    await vi.advanceTimersByTimeAsync(10 * 60_000);

    expect(negotiate).toHaveBeenCalledTimes(1);
    expect(sockets).toHaveLength(1);
    expect(handler).not.toHaveBeenCalled();
    c.subscribe("document", vi.fn());
    await settle();
    expect(negotiate).toHaveBeenCalledTimes(1);
  });

  it("opens no socket when disposed while negotiating", async () => {
    let resolve: (n: RealtimeNegotiation) => void = () => {};
    negotiate.mockReturnValueOnce(new Promise((r) => (resolve = r)));
    const c = client();
    c.subscribe("document", vi.fn());
    await settle();

    c.dispose();
    expect(negotiate.mock.calls[0]![0].aborted).toBe(true);
    resolve(negotiation(1));
    await settle();
    expect(sockets).toHaveLength(0);
  });
});
