import { describe, expect, it } from "vitest";
import { appendNew, pagedItems } from "./usePagedList";

describe("appendNew", () => {
  it("appends what the list does not have yet, in order", () => {
    const current = [{ id: "a" }, { id: "b" }];
    expect(appendNew(current, [{ id: "b" }, { id: "c" }, { id: "d" }]).map((x) => x.id)).toEqual(["a", "b", "c", "d"]);
  });

  it("keeps the item the list already shows when a page repeats it", () => {
    const shown = { id: "a", name: "shown" };
    expect(appendNew([shown], [{ id: "a", name: "moved" }])).toEqual([shown]);
  });

  it("leaves both lists as they were", () => {
    const current = [{ id: "a" }];
    const more = [{ id: "b" }];
    appendNew(current, more);
    expect(current).toEqual([{ id: "a" }]);
    expect(more).toEqual([{ id: "b" }]);
  });
});

describe("pagedItems", () => {
  it("joins the loaded pages without repeating an item that moved to a later page", () => {
    const data = {
      pages: [
        { items: [{ id: "a" }, { id: "b" }], continuationToken: "t1" },
        { items: [{ id: "b" }, { id: "c" }], continuationToken: null },
      ],
      pageParams: [null, "t1"],
    };
    expect(pagedItems(data).map((x) => x.id)).toEqual(["a", "b", "c"]);
    expect(pagedItems(undefined)).toEqual([]);
  });
});
