import { describe, expect, it } from "vitest";
import type { Clone } from "../../api/contract";
import { createQueryClient } from "../../api/queryClient";
import { cloneChanged, cloneKeys, cloneRemoved } from "./queries";

const clone = { id: "c1", slug: "maya", name: "Maya" } as Clone;

describe("clone writes in the cache", () => {
  it("put the saved clone under its id and slug and make the lists read again", () => {
    const queryClient = createQueryClient();
    queryClient.setQueryData(cloneKeys.search({ q: "sleep" }), { pages: [], pageParams: [] });
    queryClient.setQueryData(cloneKeys.mine, { pages: [], pageParams: [] });
    queryClient.setQueryData(cloneKeys.categories, []);

    cloneChanged(queryClient, { ...clone, name: "Maya 2" });

    expect(queryClient.getQueryData<Clone>(cloneKeys.detail("c1"))?.name).toBe("Maya 2");
    expect(queryClient.getQueryData<Clone>(cloneKeys.detail("maya"))?.name).toBe("Maya 2");
    expect(queryClient.getQueryState(cloneKeys.search({ q: "sleep" }))?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(cloneKeys.mine)?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(cloneKeys.categories)?.isInvalidated).toBe(false);
  });

  it("forget a deleted clone", () => {
    const queryClient = createQueryClient();
    queryClient.setQueryData(cloneKeys.detail("c1"), clone);
    queryClient.setQueryData(cloneKeys.detail("maya"), clone);
    queryClient.setQueryData(cloneKeys.mine, { pages: [], pageParams: [] });

    cloneRemoved(queryClient, clone);

    expect(queryClient.getQueryData(cloneKeys.detail("c1"))).toBeUndefined();
    expect(queryClient.getQueryData(cloneKeys.detail("maya"))).toBeUndefined();
    expect(queryClient.getQueryState(cloneKeys.mine)?.isInvalidated).toBe(true);
  });
});
