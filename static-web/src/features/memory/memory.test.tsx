// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CloneSettings, MemoryItem } from "./api";

// The memory API, stood in for: items, the clones talked to, and each clone's settings.
let items: MemoryItem[] = [];
let settings: Record<string, CloneSettings> = {};
const calls: { add: unknown[][]; update: unknown[][]; remove: string[]; put: unknown[][] } = { add: [], update: [], remove: [], put: [] };

function item(id: string, kind: MemoryItem["kind"], text: string, cloneId: string | null, extra: Partial<MemoryItem> = {}): MemoryItem {
  return { id, kind, text, cloneId, source: { sessionId: "s1", messageId: "m1" }, createdAt: "2026-12-06T04:00:00Z", updatedAt: "2026-12-06T04:00:00Z", ...extra };
}

vi.mock("./api", () => ({
  memoryApi: {
    list: async () => ({ items }),
    recentSessions: async () => ({ items: [{ cloneId: "c-coach", cloneName: "Running Coach" }, { cloneId: "c-coach", cloneName: "Running Coach" }, { cloneId: "c-tides", cloneName: "Ada Lumen" }], continuationToken: null }),
    settings: async (cloneId: string) => settings[cloneId] ?? { cloneId, memoryEnabled: true, style: null, updatedAt: null },
    add: async (kind: string, text: string, cloneId: string | null) => {
      calls.add.push([kind, text, cloneId]);
      const added = item(`n${calls.add.length}`, kind as MemoryItem["kind"], text, cloneId, { source: null });
      items = [...items, added];
      return added;
    },
    update: async (id: string, change: { text?: string }) => {
      calls.update.push([id, change]);
      items = items.map((i) => (i.id === id ? { ...i, ...change } : i));
      return items.find((i) => i.id === id);
    },
    remove: async (id: string) => {
      calls.remove.push(id);
      items = items.filter((i) => i.id !== id);
    },
    putSettings: async (cloneId: string, memoryEnabled: boolean, style: unknown) => {
      calls.put.push([cloneId, memoryEnabled, style]);
      settings[cloneId] = { cloneId, memoryEnabled, style: (style as CloneSettings["style"]) ?? null, updatedAt: "2026-12-06T05:00:00Z" };
      return settings[cloneId];
    },
  },
}));
vi.mock("../../components/ui/Toast", () => ({ useToast: () => () => undefined }));

const { MemoryPage, groupMemories } = await import("./MemoryPage");

function renderPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <MemoryPage />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

function group(cloneId: string) {
  const found = screen.getAllByTestId("memory-group").find((g) => g.getAttribute("data-clone-id") === cloneId);
  if (!found) throw new Error(`no group ${cloneId}`);
  return within(found);
}

beforeEach(() => {
  items = [
    item("m1", "goal", "Run a marathon in April", "c-coach"),
    item("m2", "preference", "I prefer short answers", null),
  ];
  settings = {};
  calls.add = [];
  calls.update = [];
  calls.remove = [];
  calls.put = [];
});
afterEach(cleanup);

describe("groupMemories", () => {
  it("puts shared items apart and gives every clone talked to a group, named, even without items", () => {
    const { shared, perClone } = groupMemories(items, new Map([["c-tides", "Ada Lumen"], ["c-coach", "Running Coach"]]));
    expect(shared.map((i) => i.id)).toEqual(["m2"]);
    expect(perClone.map((g) => [g.name, g.items.length])).toEqual([["Ada Lumen", 0], ["Running Coach", 1]]);
  });

  it("keeps items of a clone not among the recent sessions", () => {
    const { perClone } = groupMemories([item("x", "fact", "I live in Lisbon", "c-old")], new Map());
    expect(perClone).toEqual([{ cloneId: "c-old", name: "A clone", items: [expect.objectContaining({ id: "x" })] }]);
  });
});

describe("MemoryPage", () => {
  it("lists the items grouped by clone and shared", async () => {
    renderPage();
    await screen.findByText("Run a marathon in April");
    expect(group("c-coach").getByText("Run a marathon in April")).toBeTruthy();
    expect(group("shared").getByText("I prefer short answers")).toBeTruthy();
    expect(group("c-tides").getByText("Ada Lumen remembers nothing about you yet.")).toBeTruthy();
  });

  it("deletes an item", async () => {
    renderPage();
    fireEvent.click(await screen.findByRole("button", { name: "Delete: Run a marathon in April" }));
    await waitFor(() => expect(screen.queryByText("Run a marathon in April")).toBeNull());
    expect(calls.remove).toEqual(["m1"]);
  });

  it("edits an item's text", async () => {
    renderPage();
    fireEvent.click(await screen.findByRole("button", { name: "Edit: Run a marathon in April" }));
    const input = screen.getByRole("textbox", { name: "Edit goal" });
    fireEvent.change(input, { target: { value: "Run a marathon in May" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Run a marathon in May")).toBeTruthy();
    expect(calls.update).toEqual([["m1", { text: "Run a marathon in May" }]]);
  });

  it("adds an item for one clone", async () => {
    renderPage();
    const form = within(await screen.findByRole("form", { name: "Add a memory" }));
    fireEvent.change(form.getByRole("combobox", { name: "Kind" }), { target: { value: "fact" } });
    fireEvent.change(form.getByRole("textbox", { name: "What to remember" }), { target: { value: "I have a bad knee" } });
    fireEvent.change(form.getByRole("combobox", { name: "For" }), { target: { value: "c-coach" } });
    fireEvent.click(form.getByRole("button", { name: "Add memory" }));
    expect(await group("c-coach").findByText("I have a bad knee")).toBeTruthy();
    expect(calls.add).toEqual([["fact", "I have a bad knee", "c-coach"]]);
  });

  it("turns memory off for a clone and overrides its style", async () => {
    renderPage();
    await screen.findByText("Run a marathon in April");
    const coach = group("c-coach");
    const toggle = await coach.findByRole("checkbox", { name: "Remember me with Running Coach" });
    expect((toggle as HTMLInputElement).checked).toBe(true);
    fireEvent.click(toggle);
    expect(await coach.findByText(/Memory is off/)).toBeTruthy();
    expect(calls.put).toEqual([["c-coach", false, null]]);

    fireEvent.change(coach.getByRole("combobox", { name: "Answer length" }), { target: { value: "concise" } });
    await waitFor(() => expect(calls.put.at(-1)).toEqual(["c-coach", false, { length: "concise", tone: null }]));
    fireEvent.change(coach.getByRole("combobox", { name: "Tone" }), { target: { value: "formal" } });
    await waitFor(() => expect(calls.put.at(-1)).toEqual(["c-coach", false, { length: "concise", tone: "formal" }]));
  });

  it("says so when nothing is remembered and no clone was talked to", async () => {
    items = [];
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const api = (await import("./api")).memoryApi as unknown as { recentSessions: () => Promise<unknown> };
    const original = api.recentSessions;
    api.recentSessions = async () => ({ items: [], continuationToken: null });
    try {
      render(
        <QueryClientProvider client={client}>
          <MemoryRouter>
            <MemoryPage />
          </MemoryRouter>
        </QueryClientProvider>,
      );
      expect(await screen.findByText("Nothing remembered yet")).toBeTruthy();
    } finally {
      api.recentSessions = original;
    }
  });
});
