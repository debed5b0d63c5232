import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "./client";
import { ApiError } from "./http";
import { tokenStore } from "./tokens";
import { MemoryStorage } from "../test/fakes";

type Listener = (event: { loaded: number; total: number; lengthComputable: boolean }) => void;

/** A fake XMLHttpRequest: each instance answers with the next scripted response, after two progress events. */
class FakeXhr {
  static responses: { status: number; body: unknown }[] = [];
  static sent: { url: string; headers: Record<string, string>; body: FormData }[] = [];
  status = 0;
  responseText = "";
  private url = "";
  private headers: Record<string, string> = {};
  private listeners = new Map<string, (() => void)[]>();
  private uploadListeners: Listener[] = [];
  upload = { addEventListener: (_: string, listener: Listener) => this.uploadListeners.push(listener) };
  open(_method: string, url: string) {
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  addEventListener(type: string, listener: () => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  abort() {
    this.listeners.get("abort")?.forEach((l) => l());
  }
  send(body: FormData) {
    FakeXhr.sent.push({ url: this.url, headers: { ...this.headers }, body });
    const next = FakeXhr.responses.shift() ?? { status: 500, body: null };
    queueMicrotask(() => {
      this.uploadListeners.forEach((l) => l({ loaded: 50, total: 100, lengthComputable: true }));
      this.uploadListeners.forEach((l) => l({ loaded: 100, total: 100, lengthComputable: true }));
      this.status = next.status;
      this.responseText = next.body === null ? "" : JSON.stringify(next.body);
      this.listeners.get("load")?.forEach((l) => l());
    });
  }
}

describe("api.documents.upload", () => {
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => {
    vi.stubGlobal("localStorage", new MemoryStorage());
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    vi.stubGlobal("fetch", fetchMock);
    FakeXhr.responses = [];
    FakeXhr.sent = [];
    fetchMock.mockReset();
  });
  afterEach(() => vi.unstubAllGlobals());

  it("sends the file and tags as multipart with the token, and reports progress", async () => {
    tokenStore.set({ accessToken: "a1", refreshToken: "r1" });
    FakeXhr.responses.push({ status: 201, body: { items: [{ id: "d1", fileName: "a.txt" }] } });
    const progress: number[] = [];
    const result = await api.documents.upload("c/1", [new File(["hello"], "a.txt")], ["x", "y"], {
      onProgress: ({ loaded, total }) => progress.push(loaded / total),
    });
    expect(result.items[0]!.id).toBe("d1");
    expect(progress).toEqual([0.5, 1]);
    const sent = FakeXhr.sent[0]!;
    expect(sent.url).toBe("/api/clones/c%2F1/documents");
    expect(sent.headers.Authorization).toBe("Bearer a1");
    expect((sent.body.get("files") as File).name).toBe("a.txt");
    expect(sent.body.get("tags")).toBe("x,y");
  });

  it("uploads to the API's base URL when it has one", async () => {
    vi.stubEnv("VITE_API_BASE_URL", "https://func-api-x.azurewebsites.net");
    FakeXhr.responses.push({ status: 201, body: { items: [] } });
    await api.documents.upload("c1", [new File(["hello"], "a.txt")]);
    vi.unstubAllEnvs();
    expect(FakeXhr.sent[0]!.url).toBe("https://func-api-x.azurewebsites.net/api/clones/c1/documents");
  });

  it("refreshes the token once on 401 and sends the file again", async () => {
    tokenStore.set({ accessToken: "old", refreshToken: "r1" });
    FakeXhr.responses.push({ status: 401, body: null }, { status: 200, body: { items: [{ id: "d1", duplicate: true }] } });
    fetchMock.mockResolvedValueOnce(new Response(JSON.stringify({ accessToken: "new", refreshToken: "r2", expiresIn: 60 }), { status: 200 }));
    const result = await api.documents.upload("c1", [new File(["hello"], "a.txt")]);
    expect(result.items[0]!.duplicate).toBe(true);
    expect(FakeXhr.sent.map((s) => s.headers.Authorization)).toEqual(["Bearer old", "Bearer new"]);
    expect(FakeXhr.sent[1]!.body.get("tags")).toBeNull();
  });

  it("turns a problem answer into an ApiError with the per-file errors", async () => {
    FakeXhr.responses.push({
      status: 400,
      body: { title: "Validation failed", status: 400, detail: "A file was refused.", errors: { "files[0]": ["a.exe: not a document."] } },
    });
    const error = await api.documents.upload("c1", [new File(["x"], "a.exe")]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).field("files[0]")).toEqual(["a.exe: not a document."]);
  });
});
