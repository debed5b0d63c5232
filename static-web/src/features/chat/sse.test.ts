import { describe, expect, it } from "vitest";
import type { ChatFrame } from "../../api/contract";
import { FrameDecoder, SseParser, readFrames, toFrame } from "./sse";

const citation = {
  n: 1,
  documentId: "doc-1",
  fileName: "tides.txt",
  title: "Tides",
  start: 0,
  end: 120,
  page: null,
  snippet: "Tides are caused mainly by the gravitational pull of the Moon…",
  quotes: [{ start: 0, end: 64 }],
  passages: [{ start: 0, end: 120 }],
};

const FRAMES: ChatFrame[] = [
  { type: "start", sessionId: "s1", messageId: "m1", citations: [citation], answerKind: "extractive" },
  { type: "delta", sessionId: "s1", messageId: "m1", text: "Tides are caused " },
  { type: "delta", sessionId: "s1", messageId: "m1", text: "by the Moon — “gravité” 🌊 " },
  { type: "delta", sessionId: "s1", messageId: "m1", text: "[1]" },
  {
    type: "end",
    sessionId: "s1",
    messageId: "m1",
    usage: { inputTokens: 120, outputTokens: 14 },
    cost: { amount: 60, currency: "USD" },
    elapsedSeconds: 12.3,
    citations: [citation],
  },
];

/** The stream as the API writes it: one `event:` and one `data:` line per frame, a blank line after each. */
function wire(frames: ChatFrame[], newline = "\n"): string {
  return frames.map((f) => `event: ${f.type}${newline}data: ${JSON.stringify(f)}${newline}${newline}`).join("");
}

function decodeAll(chunks: (Uint8Array | string)[]): ChatFrame[] {
  const decoder = new FrameDecoder();
  const out: ChatFrame[] = [];
  for (const chunk of chunks) out.push(...decoder.push(chunk));
  out.push(...decoder.finish());
  return out;
}

/** A small deterministic generator, so a failing split can be reproduced. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function splitBytes(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    out.push(bytes.slice(from, cut));
    from = cut;
  }
  out.push(bytes.slice(from));
  return out;
}

describe("SseParser", () => {
  it("reads event and data fields, one event per blank line", () => {
    const parser = new SseParser();
    expect(parser.push("event: delta\ndata: {\"a\":1}\n\nevent: end\ndata: {}\n\n")).toEqual([
      { event: "delta", data: '{"a":1}', id: null },
      { event: "end", data: "{}", id: null },
    ]);
  });

  it("joins data lines, skips comments, defaults the event name and keeps ids", () => {
    const parser = new SseParser();
    expect(parser.push(": keep-alive\n\nid: 7\ndata:first\ndata:  second\n\n")).toEqual([{ event: "message", data: "first\n second", id: "7" }]);
  });

  it("waits for the blank line before dispatching", () => {
    const parser = new SseParser();
    expect(parser.push("event: delta\ndata: {}\n")).toEqual([]);
    expect(parser.push("\n")).toEqual([{ event: "delta", data: "{}", id: null }]);
  });

  it("accepts \\r\\n and \\r line ends, even with \\r\\n split across chunks", () => {
    const parser = new SseParser();
    expect(parser.push("data: a\r")).toEqual([]);
    expect(parser.push("\n\r")).toEqual([]);
    expect(parser.push("\ndata: b\r\r")).toEqual([{ event: "message", data: "a", id: null }]);
    expect(parser.finish()).toEqual([{ event: "message", data: "b", id: null }]);
  });

  it("drops a block the stream never closed", () => {
    const parser = new SseParser();
    expect(parser.push("data: half")).toEqual([]);
    expect(parser.finish()).toEqual([]);
  });

  it("ignores a byte order mark at the start", () => {
    expect(new SseParser().push("\uFEFFdata: x\n\n")).toEqual([{ event: "message", data: "x", id: null }]);
  });
});

describe("toFrame", () => {
  it("parses the JSON of a frame", () => {
    expect(toFrame({ event: "delta", data: JSON.stringify(FRAMES[1]), id: null })).toEqual(FRAMES[1]);
  });

  it("takes the type from the event name when the JSON has none", () => {
    expect(toFrame({ event: "delta", data: '{"sessionId":"s","messageId":"m","text":"x"}', id: null })).toEqual({
      type: "delta",
      sessionId: "s",
      messageId: "m",
      text: "x",
    });
  });

  it("gives null for data that is not a frame", () => {
    expect(toFrame({ event: "message", data: "not json", id: null })).toBeNull();
    expect(toFrame({ event: "message", data: "[1,2]", id: null })).toBeNull();
    expect(toFrame({ event: "ping", data: "{}", id: null })).toBeNull();
  });

  it("fills in what a frame must have", () => {
    expect(toFrame({ event: "start", data: '{"sessionId":"s","messageId":"m","answerKind":"model"}', id: null })).toMatchObject({ citations: [] });
    expect(toFrame({ event: "error", data: '{"sessionId":"s","messageId":"m"}', id: null })).toMatchObject({ detail: expect.any(String) });
  });

  it("passes on an end frame's final citations, and none when the frame has no list", () => {
    expect(toFrame({ event: "end", data: JSON.stringify(FRAMES[4]), id: null })).toEqual(FRAMES[4]);
    const bare = toFrame({ event: "end", data: '{"sessionId":"s","messageId":"m","citations":"nope"}', id: null });
    expect(bare).not.toBeNull();
    expect(bare && "citations" in bare).toBe(false);
  });
});

describe("FrameDecoder", () => {
  const text = wire(FRAMES);
  const bytes = new TextEncoder().encode(text);

  it("decodes the whole stream at once", () => {
    expect(decodeAll([bytes])).toEqual(FRAMES);
  });

  it("gives the same frames one byte at a time (characters split across chunks included)", () => {
    const chunks = Array.from(bytes, (b) => Uint8Array.of(b));
    expect(decodeAll(chunks)).toEqual(FRAMES);
  });

  it("gives the same frames however the bytes are cut", () => {
    const next = random(42);
    for (let round = 0; round < 300; round++) {
      const count = 1 + Math.floor(next() * 12);
      const cuts = Array.from({ length: count }, () => Math.floor(next() * bytes.length));
      expect(decodeAll(splitBytes(bytes, cuts)), `cuts ${cuts.join(",")}`).toEqual(FRAMES);
    }
  });

  it("gives the same frames with \\r\\n line ends cut at every place", () => {
    const crlf = wire(FRAMES, "\r\n");
    for (let cut = 0; cut <= crlf.length; cut++) {
      expect(decodeAll([crlf.slice(0, cut), crlf.slice(cut)])).toEqual(FRAMES);
    }
  });
});

describe("readFrames", () => {
  function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
    return new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
  }

  it("calls back with each frame of a response body", async () => {
    const bytes = new TextEncoder().encode(wire(FRAMES));
    const seen: ChatFrame[] = [];
    await readFrames(streamOf(splitBytes(bytes, [3, 50, 51, 200, 333])), (f) => seen.push(f));
    expect(seen).toEqual(FRAMES);
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(encoder.encode(wire(FRAMES.slice(0, 2))));
        // never closes: the rest of the answer has not come yet
      },
    });
    const seen: ChatFrame[] = [];
    const reading = readFrames(body, (f) => {
      seen.push(f);
      if (seen.length === 2) controller.abort();
    }, controller.signal);
    await expect(reading).rejects.toThrow();
    expect(seen).toEqual(FRAMES.slice(0, 2));
  });
});
