import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "./http";
import { onSessionEnded, tokenStore } from "./tokens";
import { createApiClient, data, serializeQuery } from "./typed";
import { json, MemoryStorage } from "../test/fakes";

/** A few routes in the shape openapi-typescript generates, enough to drive the client. */
interface TestPaths {
  "/api/me": {
    get: {
      responses: { 200: { content: { "application/json": { id: string } } } };
    };
  };
  "/api/clones": {
    get: {
      parameters: { query?: { q?: string; category?: string; pageSize?: number } };
      responses: { 200: { content: { "application/json": { items: { id: string }[]; continuationToken: string | null } } } };
    };
  };
  "/api/clones/{id}": {
    patch: {
      parameters: { path: { id: string } };
      requestBody: { content: { "application/json": { name?: string } } };
      responses: { 200: { content: { "application/json": { id: string; name: string } } } };
    };
  };
  "/api/auth/login": {
    post: {
      requestBody: { content: { "application/json": { email: string; password: string } } };
      responses: { 200: { content: { "application/json": { accessToken: string } } } };
    };
  };
}

describe("the typed client", () => {
  const fetchMock = vi.fn<(request: Request) => Promise<Response>>();
  const client = () => createApiClient<TestPaths>({ baseUrl: "https://api.example.com" });

  beforeEach(() => {
    vi.stubGlobal("localStorage", new MemoryStorage());
    vi.stubGlobal("fetch", fetchMock);
    fetchMock.mockReset();
  });
  afterEach(() => vi.unstubAllGlobals());

  it("calls the base URL with the token and leaves empty filters out", async () => {
    tokenStore.set({ accessToken: "a1", refreshToken: "r1" });
    fetchMock.mockResolvedValueOnce(json(200, { items: [], continuationToken: null }));
    await data(client().GET("/api/clones", { params: { query: { q: "a b", category: "", pageSize: 12 } } }));
    const request = fetchMock.mock.calls[0]![0];
    expect(request.url).toBe("https://api.example.com/api/clones?q=a+b&pageSize=12");
    expect(request.headers.get("Authorization")).toBe("Bearer a1");
    expect(request.headers.get("Accept")).toContain("application/problem+json");
  });

  it("refreshes once on 401 and sends the same body again with the new token", async () => {
    tokenStore.set({ accessToken: "old", refreshToken: "r1" });
    fetchMock
      .mockResolvedValueOnce(json(401, { title: "Unauthorized", status: 401 }, "application/problem+json"))
      .mockResolvedValueOnce(json(200, { accessToken: "new", refreshToken: "r2", expiresIn: 900 }))
      .mockResolvedValueOnce(json(200, { id: "c 1", name: "Maya" }));
    const clone = await data(client().PATCH("/api/clones/{id}", { params: { path: { id: "c 1" } }, body: { name: "Maya" } }));
    expect(clone).toEqual({ id: "c 1", name: "Maya" });
    const retry = fetchMock.mock.calls[2]![0];
    expect(retry.url).toBe("https://api.example.com/api/clones/c%201");
    expect(retry.headers.get("Authorization")).toBe("Bearer new");
    expect(await retry.json()).toEqual({ name: "Maya" });
  });

  it("throws the problem as an ApiError, and ends the session when the refresh fails", async () => {
    tokenStore.set({ accessToken: "old", refreshToken: "r1" });
    const ended = vi.fn();
    const off = onSessionEnded(ended);
    fetchMock
      .mockResolvedValueOnce(json(401, { title: "Unauthorized", status: 401 }, "application/problem+json"))
      .mockResolvedValueOnce(json(401, { title: "Unauthorized", status: 401 }, "application/problem+json"));
    const error = await client().GET("/api/me").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(ended).toHaveBeenCalledOnce();
    expect(tokenStore.access).toBeNull();
    off();
  });

  it("sends no token to the sign-in routes and does not refresh on their 401", async () => {
    tokenStore.set({ accessToken: "a", refreshToken: "r" });
    fetchMock.mockResolvedValueOnce(json(401, { title: "Invalid credentials", status: 401 }, "application/problem+json"));
    await expect(client().POST("/api/auth/login", { body: { email: "x@example.com", password: "wrong" } })).rejects.toMatchObject({
      status: 401,
      title: "Invalid credentials",
    });
    expect(fetchMock).toHaveBeenCalledOnce();
    expect(fetchMock.mock.calls[0]![0].headers.get("Authorization")).toBeNull();
  });

  it("turns a network failure into words", async () => {
    fetchMock.mockRejectedValueOnce(new TypeError("Failed to fetch"));
    await expect(client().GET("/api/me")).rejects.toMatchObject({ status: 0, title: "Can't reach CloneAI" });
  });

  it("reads field errors from a validation problem", async () => {
    fetchMock.mockResolvedValueOnce(
      json(400, { title: "Validation failed", status: 400, errors: { Name: ["Add a name."] } }, "application/problem+json"),
    );
    const error = (await client()
      .PATCH("/api/clones/{id}", { params: { path: { id: "c1" } }, body: {} })
      .catch((e: unknown) => e)) as ApiError;
    expect(error.field("name")).toEqual(["Add a name."]);
  });
});

describe("serializeQuery", () => {
  it("leaves out undefined, null and empty values and repeats arrays", () => {
    expect(serializeQuery({ a: "x", b: undefined, c: null, d: "", e: 0, f: ["1", "2"] })).toBe("a=x&e=0&f=1&f=2");
  });
});
