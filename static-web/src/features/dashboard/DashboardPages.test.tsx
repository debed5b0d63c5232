// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/http";
import type { DashboardRange } from "./api";
import { fakeDashboard } from "./fakeDashboard";

// The data layer and the signed-in user, stood in for: each test says what the API answered.
let answer: { data?: unknown; error?: unknown; isPlaceholderData?: boolean } = {};
const asked: { scope: string; id?: string; range: DashboardRange }[] = [];
vi.mock("./queries", () => ({
  useCloneDashboard: (id: string, range: DashboardRange) => {
    asked.push({ scope: "clone", id, range });
    return answer;
  },
  useMyDashboard: (range: DashboardRange) => {
    asked.push({ scope: "mine", range });
    return answer;
  },
}));
let me: unknown = { isCreator: true, isAdmin: false, roles: ["creator"] };
vi.mock("../auth/AuthProvider", () => ({ useAuth: () => ({ me }) }));

const { CloneDashboard, MyDashboardPage } = await import("./DashboardPages");

function Where() {
  const location = useLocation();
  return <output aria-label="address">{location.pathname + location.search}</output>;
}

function at(path: string, element: React.ReactNode) {
  render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="*" element={<>{element}<Where /></>} />
      </Routes>
    </MemoryRouter>,
  );
}

beforeEach(() => {
  answer = {};
  asked.length = 0;
  me = { isCreator: true, isAdmin: false, roles: ["creator"] };
});
afterEach(cleanup);

describe("the clone's dashboard tab", () => {
  it("reads the period in the address and changes it there", () => {
    answer = { data: fakeDashboard() };
    at("/studio/c-1/dashboard?days=7", <CloneDashboard cloneId="c-1" />);
    expect(asked.at(-1)).toMatchObject({ scope: "clone", id: "c-1" });
    const { from, to } = asked.at(-1)!.range;
    expect((Date.parse(to) - Date.parse(from)) / 86_400_000).toBe(6);
    expect(screen.getByText("What causes the tides?")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Last 90 days" }));
    expect(screen.getByLabelText("address").textContent).toBe("/studio/c-1/dashboard?days=90");
    const latest = asked.at(-1)!.range;
    expect((Date.parse(latest.to) - Date.parse(latest.from)) / 86_400_000).toBe(89);
  });

  it("shows loading, then the API's problem", () => {
    at("/studio/c-1/dashboard", <CloneDashboard cloneId="c-1" />);
    expect(screen.getByText("Loading the dashboard…")).toBeTruthy();
    cleanup();
    answer = { error: new ApiError({ status: 403, title: "Forbidden", detail: "Only the owner of this clone can change it.", errors: {} }) };
    at("/studio/c-1/dashboard", <CloneDashboard cloneId="c-1" />);
    expect(screen.getByRole("alert").textContent).toBe("Forbidden. Only the owner of this clone can change it.");
  });
});

describe("the all-clones dashboard", () => {
  it("shows every clone's part", () => {
    answer = { data: fakeDashboard() };
    at("/dashboard", <MyDashboardPage />);
    expect(asked.at(-1)!.scope).toBe("mine");
    expect(screen.getByRole("heading", { level: 1, name: "Dashboard" })).toBeTruthy();
    expect(screen.getByRole("rowheader", { name: "Volcanoes" })).toBeTruthy();
  });

  it("is for creators", () => {
    me = { isCreator: false, isAdmin: false, roles: [] };
    at("/dashboard", <MyDashboardPage />);
    expect(screen.getByText("The dashboard is for creators")).toBeTruthy();
  });
});
