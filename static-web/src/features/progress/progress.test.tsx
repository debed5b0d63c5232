// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/http";
import type { ProgressItem, ProgressList } from "./api";

// The progress API, the sessions list and the signed-in state, stood in for.
const calls: { get: string[]; set: [string, string, boolean][] } = { get: [], set: [] };
let lists: Record<string, ProgressItem[]> = {};
let failSet = false;
let sessions: { cloneId: string; cloneName: string }[] = [];
let authStatus = "signedIn";

function item(id: string, text: string, extra: Partial<ProgressItem> = {}): ProgressItem {
  return {
    id, cloneId: "c1", origin: id.startsWith("goal:") ? "goal" : "action-item", text, sessionId: "s1", done: false, doneAt: null,
    createdAt: "2026-12-01T10:00:00Z", ...extra,
  };
}

function listOf(items: ProgressItem[]): ProgressList {
  const done = items.filter((i) => i.done).length;
  return { items, done, open: items.length - done };
}

vi.mock("./api", () => ({
  progressApi: {
    get: async (cloneId: string) => {
      calls.get.push(cloneId);
      return listOf(lists[cloneId] ?? []);
    },
    set: async (itemId: string, cloneId: string, done: boolean) => {
      calls.set.push([itemId, cloneId, done]);
      if (failSet) throw new ApiError({ status: 404, title: "Not found", detail: "No such item on your checklist.", errors: {} });
      const found = (lists[cloneId] ?? []).find((i) => i.id === itemId)!;
      found.done = done;
      found.doneAt = done ? "2026-12-06T05:00:00Z" : null;
      return found;
    },
  },
}));
vi.mock("../../api/client", () => ({
  api: { sessions: { list: async () => ({ items: sessions, continuationToken: null }) } },
}));
vi.mock("../auth/AuthProvider", () => ({ useAuth: () => ({ status: authStatus }) }));

const { ProgressPage, clonesOf } = await import("./ProgressPage");
const { CloneProgressSection } = await import("./CloneProgressSection");
const { withTick } = await import("./queries");

function renderAt(path: string, routes: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>{routes}</Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const page = <Route path="/progress" element={<ProgressPage />} />;

beforeEach(() => {
  calls.get = [];
  calls.set = [];
  lists = {
    c1: [item("goal:m1", "Run a marathon in April"), item("action:s1:0", "Buy running shoes.")],
    c2: [item("goal:m9", "Learn Italian", { cloneId: "c2", done: true, doneAt: "2026-12-02T10:00:00Z" })],
  };
  failSet = false;
  sessions = [
    { cloneId: "c1", cloneName: "Coach Kim" },
    { cloneId: "c2", cloneName: "Luca" },
    { cloneId: "c1", cloneName: "Coach Kim" },
  ];
  authStatus = "signedIn";
});
afterEach(cleanup);

describe("ProgressPage", () => {
  it("lists each clone of the user's sessions once, most recent first", () => {
    expect(clonesOf(sessions)).toEqual([{ id: "c1", name: "Coach Kim" }, { id: "c2", name: "Luca" }]);
  });

  it("shows the first clone's checklist with its counts, and another clone's when picked", async () => {
    renderAt("/progress", page);
    const items = await screen.findAllByTestId("progress-item");
    expect(items.map((i) => i.textContent)).toEqual([
      expect.stringContaining("Run a marathon in April"),
      expect.stringContaining("Buy running shoes."),
    ]);
    expect(within(items[0]!).getByText("Goal")).toBeTruthy();
    expect(within(items[1]!).getByText("Action item")).toBeTruthy();
    expect(screen.getByTestId("progress-counts").textContent).toBe("0 done · 2 open");

    fireEvent.change(screen.getByLabelText("Clone"), { target: { value: "c2" } });
    await waitFor(() => expect(screen.getByTestId("progress-counts").textContent).toBe("1 done · 0 open"));
    expect(screen.getByRole("checkbox", { name: "Learn Italian" })).toHaveProperty("checked", true);
    expect(calls.get).toEqual(["c1", "c2"]);
  });

  it("ticks an item: it shows done at once and stays so after the list is read again", async () => {
    renderAt("/progress?clone=c1", page);
    const box = await screen.findByRole("checkbox", { name: "Buy running shoes." });
    fireEvent.click(box);
    await waitFor(() => expect(screen.getByTestId("progress-counts").textContent).toBe("1 done · 1 open"));
    expect(calls.set).toEqual([["action:s1:0", "c1", true]]);
    await waitFor(() => expect(calls.get.length).toBeGreaterThan(1));
    expect(screen.getByRole("checkbox", { name: "Buy running shoes." })).toHaveProperty("checked", true);
    expect(screen.getAllByTestId("progress-item")[1]!.dataset.done).toBe("true");
  });

  it("puts the tick back and says so when it is not saved", async () => {
    failSet = true;
    renderAt("/progress?clone=c1", page);
    fireEvent.click(await screen.findByRole("checkbox", { name: "Run a marathon in April" }));
    expect(await screen.findByText("That change wasn't saved")).toBeTruthy();
    await waitFor(() => expect(screen.getByRole("checkbox", { name: "Run a marathon in April" })).toHaveProperty("checked", false));
    expect(screen.getByTestId("progress-counts").textContent).toBe("0 done · 2 open");
  });

  it("says there is nothing to track without sessions, and without items", async () => {
    sessions = [];
    renderAt("/progress", page);
    expect(await screen.findByText("Nothing to track yet")).toBeTruthy();
    cleanup();
    sessions = [{ cloneId: "c3", cloneName: "Empty" }];
    renderAt("/progress", page);
    expect(await screen.findByTestId("progress-empty")).toBeTruthy();
  });
});

describe("CloneProgressSection", () => {
  const section = <Route path="/" element={<CloneProgressSection cloneId="c1" cloneName="Coach Kim" />} />;

  it("shows a signed-in user's checklist with the clone, linking to the progress page", async () => {
    renderAt("/", section);
    expect(await screen.findByRole("checkbox", { name: "Run a marathon in April" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Open" }).getAttribute("href")).toBe("/progress?clone=c1");
  });

  it("is not there for a visitor or when the checklist is empty", async () => {
    authStatus = "signedOut";
    renderAt("/", section);
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByRole("checkbox")).toBeNull();
    expect(calls.get).toEqual([]);
    cleanup();
    authStatus = "signedIn";
    lists.c1 = [];
    renderAt("/", section);
    await waitFor(() => expect(calls.get).toEqual(["c1"]));
    expect(screen.queryByText("Your progress")).toBeNull();
  });
});

describe("withTick", () => {
  it("ticks one item and recounts", () => {
    const list = listOf([item("goal:a", "A"), item("goal:b", "B")]);
    const ticked = withTick(list, "goal:b", true);
    expect([ticked.done, ticked.open]).toEqual([1, 1]);
    expect(ticked.items[1]!.done).toBe(true);
    expect(withTick(ticked, "goal:b", false).done).toBe(0);
  });
});
