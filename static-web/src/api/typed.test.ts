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
  "/api/me/avatar": {
    put: {
      requestBody: { content: { "multipart/form-data": { file?: string } } };
      responses: { 200: { content: { "application/json": { id: string } } } };
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
  const fetchMock = vi.fn<typeof fetch>();
  const client = () => createApiClient<TestPaths>();
  const headers = (call: number) => fetchMock.mock.calls[call]![1]!.headers as Record<string, string>;

  beforeEach(() => {
    vi.stubGlobal("localStorage", new MemoryStorage());
    vi.stubGlobal("fetch", fetchMock);
    fetchMock.mockReset();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
  });

  it("calls paths on this origin with the token and leaves empty filters out", async () => {
    tokenStore.set({ accessToken: "a1", refreshToken: "r1" });
    fetchMock.mockResolvedValueOnce(json(200, { items: [], continuationToken: null }));
    await data(client().GET("/api/clones", { params: { query: { q: "a b", category: "", pageSize: 12 } } }));
    expect(fetchMock.mock.calls[0]![0]).toBe("/api/clones?q=a+b&pageSize=12");
    expect(headers(0).Authorization).toBe("Bearer a1");
    expect(headers(0).Accept).toContain("application/problem+json");
  });

  it("calls the API's base URL, read at each call", async () => {
    const typed = client();
    vi.stubEnv("VITE_API_BASE_URL", "https://func-api-x.azurewebsites.net/");
    fetchMock.mockResolvedValueOnce(json(200, { id: "u1" }));
    await expect(data(typed.GET("/api/me"))).resolves.toEqual({ id: "u1" });
    expect(fetchMock.mock.calls[0]![0]).toBe("https://func-api-x.azurewebsites.net/api/me");
  });

  it("refreshes once on 401 and sends the same body again with the new token", async () => {
    tokenStore.set({ accessToken: "old", refreshToken: "r1" });
    fetchMock
      .mockResolvedValueOnce(json(401, { title: "Unauthorized", status: 401 }, "application/problem+json"))
      .mockResolvedValueOnce(json(200, { accessToken: "new", refreshToken: "r2", expiresIn: 900 }))
      .mockResolvedValueOnce(json(200, { id: "c 1", name: "Maya" }));
    const clone = await data(client().PATCH("/api/clones/{id}", { params: { path: { id: "c 1" } }, body: { name: "Maya" } }));
    expect(clone).toEqual({ id: "c 1", name: "Maya" });
    expect(fetchMock.mock.calls.map((c) => c[0])).toEqual(["/api/clones/c%201", "/api/auth/refresh", "/api/clones/c%201"]);
    expect(headers(2).Authorization).toBe("Bearer new");
    expect(fetchMock.mock.calls[2]![1]!.method).toBe("PATCH");
    expect(JSON.parse(fetchMock.mock.calls[2]![1]!.body as string)).toEqual({ name: "Maya" });
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
    expect(headers(0).Authorization).toBeUndefined();
  });

  it("sends multipart forms for the browser to set the boundary", async () => {
    fetchMock.mockResolvedValueOnce(json(200, { id: "u1" }));
    const form = new FormData();
    form.append("file", new Blob(["png"]), "a.png");
    await data(client().PUT("/api/me/avatar", { body: form as unknown as { file?: string } }));
    const init = fetchMock.mock.calls[0]![1]!;
    expect(init.body).toBeInstanceOf(FormData);
    expect(((init.body as FormData).get("file") as File).name).toBe("a.png");
    expect(headers(0)["Content-Type"]).toBeUndefined();
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
