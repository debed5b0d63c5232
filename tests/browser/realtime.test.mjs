// The official Web PubSub client (`@azure/web-pubsub-client` from npm) against the local host's hub, in both of its JSON
// protocols. A user signs up through the API (verification link from the outbox), starts a session with the demo clone
// (Ada Lumen), negotiates a client URL at /api/realtime/negotiate, joins the session's group and asks a question over HTTP:
// the client receives start, delta(s) and end, whose text is the HTTP answer's.
// - json.reliable.webpubsub.azure.v1 (the client's default): the client connects through a small TCP proxy started here, which
//   cuts the connection right after the first delta frame and refuses new connections until the HTTP answer has finished. The
//   client resumes the same connection (awps_connection_id, awps_reconnection_token) and still gets every frame exactly once.
// - json.webpubsub.azure.v1: the same question, no drop.
// - An intruder (another user, with their own token) cannot join the session's group, in either protocol.
//
// Without BASE_URL the file starts its own host (lib.mjs) with the demo clone seeded (Local__Demo=true); with BASE_URL the host
// must have the demo clone (./run seeds it unless --no-demo).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { connect, createServer } from "node:net";
import { WebPubSubClient, WebPubSubJsonProtocol, WebPubSubJsonReliableProtocol } from "@azure/web-pubsub-client";
import { apiClient, fundWallet, startEnvironment, verifiedAccount } from "./lib.mjs";

const DEMO_SLUG = "ada-lumen-astronomy";
const QUESTION = "How does the Moon cause the tides?";
const READY_TIMEOUT_MS = 180_000;

let baseUrl = "";
let dataDir = "";
/** @type {() => Promise<void>} */
let stop = async () => {};
/** @type {() => string} */
let hostLog = () => "";
/** @type {ReturnType<typeof apiClient>} */
let call;
/** @type {{ accessToken: string }} */
let user;
/** @type {{ accessToken: string }} */
let intruder;
let demo;

const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
const password = `Correct-horse-${run}`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, condition, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await condition();
    if (value) return value;
    await sleep(100);
  }
  throw new Error(`Timed out waiting for ${what}.\n${hostLog().slice(-3000)}`);
}

async function startSession(tokens) {
  return call("POST", `/api/clones/${encodeURIComponent(demo.id)}/sessions`, {}, tokens.accessToken);
}

function ask(tokens, sessionId, content) {
  return call("POST", `/api/sessions/${encodeURIComponent(sessionId)}/messages`, { content, clientMessageId: `rt-${Math.random().toString(36).slice(2)}` }, tokens.accessToken);
}

/** A client for `protocol` whose URL comes from the app's negotiate route (optionally rewritten, e.g. through the proxy). */
function hubClient(tokens, sessionId, protocol, rewrite = (url) => url, options = {}) {
  const query = sessionId ? `?sessionId=${encodeURIComponent(sessionId)}` : "";
  return new WebPubSubClient(
    { getClientAccessUrl: async () => rewrite((await call("GET", `/api/realtime/negotiate${query}`, undefined, tokens.accessToken)).url) },
    { protocol, ...options },
  );
}

/** Records the frames of the session's group as the client hands them over (after its own duplicate filter). */
function record(client) {
  const frames = [];
  const sequenceIds = [];
  client.on("group-message", (e) => {
    frames.push(e.message.data);
    sequenceIds.push(e.message.sequenceId);
  });
  return { frames, sequenceIds };
}

/** The answer's frames are there exactly once: start, then deltas, then end, with the HTTP answer's text. */
function assertOneAnswer(allFrames, answer) {
  const frames = allFrames.filter((f) => f.messageId === answer.id);
  assert.equal(frames[0]?.type, "start", JSON.stringify(allFrames.slice(0, 3)));
  assert.equal(frames.at(-1)?.type, "end");
  assert.equal(frames.filter((f) => f.type === "start").length, 1);
  assert.equal(frames.filter((f) => f.type === "end").length, 1);
  const deltas = frames.slice(1, -1);
  assert.ok(deltas.length >= 1, "at least one delta");
  for (const f of deltas) assert.equal(f.type, "delta");
  assert.equal(deltas.map((f) => f.text).join("").trim(), answer.content);
}

/**
 * A TCP proxy on 127.0.0.1 in front of the host. It reads the server's WebSocket frames (unmasked, after the HTTP upgrade
 * response) so that `cutAfter(test)` can drop the connection right after forwarding the first frame whose text passes `test`;
 * after the cut it refuses connections until `reopen()`.
 */
async function startProxy(targetPort) {
  const state = { open: true, cut: null, requests: [], sockets: new Set() };
  let onCut = () => {};
  const server = createServer((down) => {
    if (!state.open) {
      down.destroy();
      return;
    }
    const up = connect(targetPort, "127.0.0.1");
    state.sockets.add(down);
    state.sockets.add(up);
    let first = true;
    down.on("data", (chunk) => {
      if (first) state.requests.push(chunk.toString("latin1").split("\r\n", 1)[0]);
      first = false;
      up.write(chunk);
    });
    let pending = Buffer.alloc(0);
    let upgraded = false;
    let dead = false;
    const kill = () => {
      dead = true;
      down.destroy();
      up.destroy();
    };
    up.on("data", (chunk) => {
      if (dead) return;
      pending = Buffer.concat([pending, chunk]);
      if (!upgraded) {
        const end = pending.indexOf("\r\n\r\n");
        if (end < 0) return;
        down.write(pending.subarray(0, end + 4));
        pending = pending.subarray(end + 4);
        upgraded = true;
      }
      while (pending.length >= 2) {
        const short = pending[1] & 0x7f;
        const headerLength = short === 126 ? 4 : short === 127 ? 10 : 2;
        if (pending.length < headerLength) return;
        const length = short === 126 ? pending.readUInt16BE(2) : short === 127 ? Number(pending.readBigUInt64BE(2)) : short;
        if (pending.length < headerLength + length) return;
        const frame = pending.subarray(0, headerLength + length);
        pending = pending.subarray(headerLength + length);
        down.write(frame);
        const text = (frame[0] & 0x0f) === 1 ? frame.subarray(headerLength).toString("utf8") : "";
        if (state.cut && text && state.cut(text)) {
          state.cut = null;
          state.open = false;
          kill();
          onCut();
          return;
        }
      }
    });
    down.on("error", () => {});
    up.on("error", () => {});
    down.on("close", () => up.destroy());
    up.on("close", () => down.destroy());
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: server.address().port,
    requests: state.requests,
    /** Resolves once a server frame passing `test` has been forwarded and the connection cut. */
    cutAfter(test) {
      state.cut = test;
      return new Promise((r) => {
        onCut = r;
      });
    },
    reopen() {
      state.open = true;
    },
    async close() {
      for (const s of state.sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

before(async () => {
  // The host this file starts seeds the demo clone (what ./run does by default); it is spawned with this environment.
  process.env.Local__Demo ??= "true";
  ({ baseUrl, dataDir, stop, hostLog } = await startEnvironment());
  call = apiClient(baseUrl);
  user = await verifiedAccount(baseUrl, dataDir, `rt-user-${run}@example.com`, password, "Realtime User");
  intruder = await verifiedAccount(baseUrl, dataDir, `rt-intruder-${run}@example.com`, password, "Realtime Intruder");
  // The demo clone is paid per minute: sessions draw from the wallet.
  for (const tokens of [user, intruder]) await fundWallet({ baseUrl, accessToken: tokens.accessToken }, 20000);

  // The demo clone is seeded in the background, and its documents are embedded after it is published: wait until a question
  // about them gets a cited answer (asked by a third user, in a session of its own).
  demo = await waitFor("the demo clone", () => call("GET", `/api/clones/${DEMO_SLUG}`).catch(() => null), 60_000);
  const prober = await verifiedAccount(baseUrl, dataDir, `rt-probe-${run}@example.com`, password, "Realtime Probe");
  await fundWallet({ baseUrl, accessToken: prober.accessToken }, 20000);
  const probe = await startSession(prober);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const answer = await ask(prober, probe.id, QUESTION);
    if (answer.citations?.length) break;
    assert.ok(Date.now() < deadline, `The demo clone's documents were not ready in time.\n${hostLog().slice(-3000)}`);
    await sleep(4_000);
  }
});

after(async () => {
  await stop();
});

test("reliable protocol (the client's default): an answer streams, and a connection cut after the first delta resumes with every frame once", async () => {
  const session = await startSession(user);
  const proxy = await startProxy(Number(new URL(baseUrl).port));
  const client = hubClient(user, session.id, WebPubSubJsonReliableProtocol(), (url) => {
    const proxied = new URL(url);
    proxied.port = String(proxy.port);
    return proxied.toString();
  });
  const connections = [];
  client.on("connected", (e) => connections.push(e.connectionId));
  const disconnections = [];
  client.on("disconnected", (e) => disconnections.push(e));
  const { frames, sequenceIds } = record(client);
  try {
    await client.start();
    await client.joinGroup(`session-${session.id}`);

    const cut = proxy.cutAfter((text) => JSON.parse(text)?.data?.type === "delta");
    const asking = ask(user, session.id, QUESTION);
    await cut;
    const beforeCut = frames.length;
    // The rest of the answer is produced while the client cannot connect.
    const answer = await asking;
    assert.ok(!frames.some((f) => f.type === "end"), "the end frame arrived only after the reconnect");
    proxy.reopen();

    await waitFor("the end frame after the reconnect", () => frames.some((f) => f.type === "end" && f.messageId === answer.id));
    assertOneAnswer(frames, answer);
    assert.ok(frames.length > beforeCut + 1, "frames sent during the drop were replayed");
    assert.match(answer.content, /Moon/);
    // Numbered by the hub without gaps or repeats; one connection, resumed (not a new one), and never reported disconnected.
    assert.deepEqual(sequenceIds, sequenceIds.map((_, i) => sequenceIds[0] + i));
    assert.equal(connections.length, 1);
    assert.deepEqual(disconnections, []);
    const resumes = proxy.requests.filter((r) => r.includes("awps_connection_id=") && r.includes("awps_reconnection_token="));
    assert.ok(resumes.length >= 1, proxy.requests.join("\n"));
    assert.ok(resumes.at(-1).includes(`awps_connection_id=${connections[0]}`));

    // Still in the group after the resume: the next answer reaches the client without a new join.
    const next = await ask(user, session.id, "Why are there two high tides a day?");
    await waitFor("the second answer", () => frames.some((f) => f.type === "end" && f.messageId === next.id));
    assertOneAnswer(frames, next);
  } finally {
    client.stop();
    await proxy.close();
  }
});

test("plain protocol (json.webpubsub.azure.v1): an answer streams start, deltas and end, without sequence ids", async () => {
  const session = await startSession(user);
  const client = hubClient(user, session.id, WebPubSubJsonProtocol());
  const { frames, sequenceIds } = record(client);
  try {
    await client.start();
    await client.joinGroup(`session-${session.id}`);
    const answer = await ask(user, session.id, QUESTION);
    await waitFor("the end frame", () => frames.some((f) => f.type === "end" && f.messageId === answer.id));
    assertOneAnswer(frames, answer);
    assert.ok(sequenceIds.every((id) => id === undefined));
  } finally {
    client.stop();
  }
});

test("an intruder's token does not join someone else's session group, in either protocol", async () => {
  const session = await startSession(user);
  // The session is not the intruder's: negotiating for it is refused outright.
  await assert.rejects(call("GET", `/api/realtime/negotiate?sessionId=${encodeURIComponent(session.id)}`, undefined, intruder.accessToken), /404/);
  for (const protocol of [WebPubSubJsonReliableProtocol(), WebPubSubJsonProtocol()]) {
    const client = hubClient(intruder, null, protocol, undefined, { messageRetryOptions: { maxRetries: 0 } });
    try {
      await client.start();
      await assert.rejects(client.joinGroup(`session-${session.id}`), (error) => {
        assert.equal(error.errorDetail?.name, "Forbidden", `${protocol.name}: ${error}`);
        return true;
      });
    } finally {
      client.stop();
    }
  }
});
