import { describe, expect, it, vi } from "vitest";
import { ApiError } from "./http";
import { createQueryClient, retryDelay, shouldRetry } from "./queryClient";

const problem = (status: number) => new ApiError({ status, title: "x", detail: "", errors: {} });

describe("shouldRetry", () => {
  it("never tries a 4xx problem again", () => {
    for (const status of [400, 401, 403, 404, 409, 429]) expect(shouldRetry(0, problem(status))).toBe(false);
  });

  it("tries a network failure or a 5xx twice more, then gives up", () => {
    for (const error of [problem(0), problem(500), problem(503)]) {
      expect(shouldRetry(0, error)).toBe(true);
      expect(shouldRetry(1, error)).toBe(true);
      expect(shouldRetry(2, error)).toBe(false);
    }
  });

  it("leaves cancelled reads and bugs alone", () => {
    expect(shouldRetry(0, new DOMException("stop", "AbortError"))).toBe(false);
    expect(shouldRetry(0, new TypeError("x is undefined"))).toBe(false);
  });

  it("waits longer each time, up to 4 s", () => {
    expect([0, 1, 2, 3, 10].map(retryDelay)).toEqual([500, 1000, 2000, 4000, 4000]);
  });
});

describe("the app's query client", () => {
  it("reads a 404 once and a 503 three times", async () => {
    const queryClient = createQueryClient();
    const notFound = vi.fn(async () => Promise.reject(problem(404)));
    await expect(queryClient.fetchQuery({ queryKey: ["a"], queryFn: notFound, retryDelay: 0 })).rejects.toMatchObject({ status: 404 });
    expect(notFound).toHaveBeenCalledOnce();

    const unavailable = vi.fn(async () => Promise.reject(problem(503)));
    await expect(queryClient.fetchQuery({ queryKey: ["b"], queryFn: unavailable, retryDelay: 0 })).rejects.toMatchObject({ status: 503 });
    expect(unavailable).toHaveBeenCalledTimes(3);
  });

  it("sends a write once, whatever the failure", async () => {
    const queryClient = createQueryClient();
    expect(queryClient.getDefaultOptions().mutations?.retry).toBe(false);
  });
});
