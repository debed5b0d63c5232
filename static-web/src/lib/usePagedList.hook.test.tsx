// @vitest-environment happy-dom
import { QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/http";
import { createQueryClient } from "../api/queryClient";
import type { Page } from "../api/contract";
import { usePagedList } from "./usePagedList";

type Item = { id: string };

function setup(fetchPage: (token: string | null) => Promise<Page<Item>>, enabled = true) {
  const queryClient = createQueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
  return renderHook(() => usePagedList<Item>(["items"], (token) => fetchPage(token), enabled), { wrapper });
}

const page = (ids: string[], continuationToken: string | null): Page<Item> => ({ items: ids.map((id) => ({ id })), continuationToken });

describe("usePagedList", () => {
  it("loads the first page, then appends the next without the items it already shows", async () => {
    const fetchPage = vi.fn(async (token: string | null) => (token ? page(["b", "c"], null) : page(["a", "b"], "t1")));
    const { result } = setup(fetchPage);
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.items.map((x) => x.id)).toEqual(["a", "b"]);
    expect(result.current.token).toBe("t1");

    await act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.items.map((x) => x.id)).toEqual(["a", "b", "c"]));
    expect(result.current.token).toBeNull();
    expect(fetchPage.mock.calls.map((c) => c[0])).toEqual([null, "t1"]);
  });

  it("keeps what it shows when Load more fails, and says why", async () => {
    const refused = new ApiError({ status: 400, title: "Bad token", detail: "", errors: {} });
    const fetchPage = vi.fn(async (token: string | null) => (token ? Promise.reject(refused) : page(["a"], "t1")));
    const { result } = setup(fetchPage);
    await waitFor(() => expect(result.current.loading).toBe(false));
    await act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.error).toBe(refused));
    expect(result.current.items.map((x) => x.id)).toEqual(["a"]);
    expect(fetchPage).toHaveBeenCalledTimes(2); // a 4xx is not tried again
  });

  it("shows the first page's problem, and loads again on reload", async () => {
    let fail = true;
    const fetchPage = vi.fn(async () => {
      if (fail) throw new ApiError({ status: 403, title: "Not allowed", detail: "", errors: {} });
      return page(["a"], null);
    });
    const { result } = setup(fetchPage);
    await waitFor(() => expect(result.current.error).toBeInstanceOf(ApiError));
    expect(result.current.items).toEqual([]);

    fail = false;
    act(() => result.current.reload());
    await waitFor(() => expect(result.current.items.map((x) => x.id)).toEqual(["a"]));
    expect(result.current.error).toBeNull();
  });

  it("reload drops the pages after the first", async () => {
    const fetchPage = vi.fn(async (token: string | null) => (token ? page(["b"], null) : page(["a"], "t1")));
    const { result } = setup(fetchPage);
    await waitFor(() => expect(result.current.loading).toBe(false));
    await act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.items).toHaveLength(2));
    act(() => result.current.reload());
    await waitFor(() => expect(result.current.items.map((x) => x.id)).toEqual(["a"]));
    expect(result.current.token).toBe("t1");
  });

  it("loads nothing while disabled", async () => {
    const fetchPage = vi.fn(async () => page(["a"], null));
    const { result } = setup(fetchPage, false);
    await new Promise((r) => setTimeout(r, 20));
    expect(result.current.loading).toBe(false);
    expect(fetchPage).not.toHaveBeenCalled();
  });
});
