import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "./client";
import { request } from "./http";
import { onSessionEnded, tokenStore } from "./tokens";
import { json, MemoryStorage } from "../test/fakes";

describe("request", () => {
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    vi.stubGlobal("localStorage", new MemoryStorage());
    vi.stubGlobal("fetch", fetchMock);
    fetchMock.mockReset();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("sends the access token and parses JSON", async () => {
    tokenStore.set({ accessToken: "a1", refreshToken: "r1" });
    fetchMock.mockResolvedValueOnce(json(200, { id: "u1" }));
    await expect(request("/api/me")).resolves.toEqual({ id: "u1" });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe("/api/me");
    expect((init?.headers as Record<string, string>).Authorization).toBe("Bearer a1");
  });

  it("refreshes once on 401 and retries with the new token", async () => {
    tokenStore.set({ accessToken: "old", refreshToken: "r1" });
    fetchMock
      .mockResolvedValueOnce(json(401, { title: "Unauthorized", status: 401 }, "application/problem+json"))
      .mockResolvedValueOnce(json(200, { accessToken: "new", refreshToken: "r2", expiresIn: 900 }))
      .mockResolvedValueOnce(json(200, { ok: true }));
    await expect(request("/api/me")).resolves.toEqual({ ok: true });
    expect(fetchMock.mock.calls[1]![0]).toBe("/api/auth/refresh");
    expect(JSON.parse(fetchMock.mock.calls[1]![1]!.body as string)).toEqual({ refreshToken: "r1" });
    expect((fetchMock.mock.calls[2]![1]!.headers as Record<string, string>).Authorization).toBe("Bearer new");
    expect(tokenStore.access).toBe("new");
    expect(tokenStore.refresh).toBe("r2");
  });

  it("ends the session when the refresh fails", async () => {
    tokenStore.set({ accessToken: "old", refreshToken: "r1" });
    const ended = vi.fn();
    const off = onSessionEnded(ended);
    fetchMock
      .mockResolvedValueOnce(json(401, { title: "Unauthorized", status: 401 }, "application/problem+json"))
      .mockResolvedValueOnce(json(401, { title: "Unauthorized", status: 401 }, "application/problem+json"));
    await expect(request("/api/me")).rejects.toMatchObject({ status: 401 });
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(ended).toHaveBeenCalledOnce();
    expect(tokenStore.access).toBeNull();
    off();
  });

  it("does not refresh for anonymous calls such as login", async () => {
    tokenStore.set({ accessToken: "a", refreshToken: "r" });
    fetchMock.mockResolvedValueOnce(json(401, { title: "Invalid credentials", status: 401 }, "application/problem+json"));
    await expect(api.auth.login("x@example.com", "wrong-password")).rejects.toMatchObject({
      status: 401,
      title: "Invalid credentials",
    });
    expect(fetchMock).toHaveBeenCalledOnce();
  });

  it("leaves empty filters out of the query string", async () => {
    fetchMock.mockResolvedValueOnce(json(200, { items: [], continuationToken: null }));
    await api.clones.search({ q: "a b", sort: "rating", pageSize: 12 });
    expect(fetchMock.mock.calls[0]![0]).toBe("/api/clones?q=a+b&sort=rating&pageSize=12");
  });

  it("turns a network failure into words", async () => {
    fetchMock.mockRejectedValueOnce(new TypeError("Failed to fetch"));
    await expect(request("/api/health")).rejects.toMatchObject({ status: 0, title: "Can't reach CloneAI" });
  });

  it("asks for an event stream and hands back the response", async () => {
    tokenStore.set({ accessToken: "a1", refreshToken: "r1" });
    fetchMock.mockResolvedValueOnce(new Response("event: end\ndata: {}\n\n", { status: 200, headers: { "Content-Type": "text/event-stream" } }));
    const response = await api.sessions.ask("s 1", { content: "Hi", clientMessageId: "k1" });
    expect(await response.text()).toContain("event: end");
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe("/api/sessions/s%201/messages");
    expect((init?.headers as Record<string, string>).Accept).toContain("text/event-stream");
    expect(JSON.parse(init!.body as string)).toEqual({ content: "Hi", clientMessageId: "k1" });
  });

  it("throws the problem when a question is refused before streaming", async () => {
    fetchMock.mockResolvedValueOnce(json(409, { title: "Conflict", status: 409, detail: "This session has ended." }, "application/problem+json"));
    await expect(api.sessions.ask("s1", { content: "Hi", clientMessageId: "k1" })).rejects.toMatchObject({ status: 409, detail: "This session has ended." });
  });

  it("downloads an export with the file name the API gives", async () => {
    tokenStore.set({ accessToken: "a1", refreshToken: "r1" });
    fetchMock.mockResolvedValueOnce(
      new Response("# Session", { status: 200, headers: { "Content-Type": "text/markdown", "Content-Disposition": 'attachment; filename="cloneai-session-abc.md"' } }),
    );
    const file = await api.sessions.export("abc", "markdown");
    expect(fetchMock.mock.calls[0]![0]).toBe("/api/sessions/abc/export?format=markdown");
    expect(file.fileName).toBe("cloneai-session-abc.md");
    expect(await file.blob.text()).toBe("# Session");
  });
});

describe("request against an API on another origin", () => {
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    vi.stubEnv("VITE_API_BASE_URL", "https://func-api-x.azurewebsites.net/");
    vi.stubGlobal("localStorage", new MemoryStorage());
    vi.stubGlobal("fetch", fetchMock);
    fetchMock.mockReset();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
  });

  it("calls the API at its base URL, the refresh and the event stream too", async () => {
    tokenStore.set({ accessToken: "old", refreshToken: "r1" });
    fetchMock
      .mockResolvedValueOnce(json(401, { title: "Unauthorized", status: 401 }, "application/problem+json"))
      .mockResolvedValueOnce(json(200, { accessToken: "new", refreshToken: "r2", expiresIn: 900 }))
      .mockResolvedValueOnce(json(200, { items: [], continuationToken: null }))
      .mockResolvedValueOnce(new Response("event: end\ndata: {}\n\n", { status: 200, headers: { "Content-Type": "text/event-stream" } }));

    await api.clones.search({ q: "a", pageSize: 12 });
    await api.sessions.ask("s1", { content: "Hi", clientMessageId: "k1" });

    expect(fetchMock.mock.calls.map((c) => c[0])).toEqual([
      "https://func-api-x.azurewebsites.net/api/clones?q=a&pageSize=12",
      "https://func-api-x.azurewebsites.net/api/auth/refresh",
      "https://func-api-x.azurewebsites.net/api/clones?q=a&pageSize=12",
      "https://func-api-x.azurewebsites.net/api/sessions/s1/messages",
    ]);
  });
});

