// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ReportInput } from "./api";

const sent: [string, ReportInput][] = [];
let authStatus = "signedIn";

vi.mock("./api", () => ({
  moderationApi: {
    report: async (cloneId: string, input: ReportInput) => {
      sent.push([cloneId, input]);
      return { id: "r1", cloneId, reason: input.reason, details: input.details ?? "", status: "open", createdAt: "2026-12-06T08:00:00Z" };
    },
  },
  adminModerationApi: {},
}));
vi.mock("../auth/AuthProvider", () => ({ useAuth: () => ({ status: authStatus }) }));

const { ReportButton } = await import("./ReportDialog");
const { HiddenBanner } = await import("./HiddenBanner");
const { VerifiedBadge } = await import("./VerifiedBadge");

function renderButton(answer?: { sessionId: string; messageId: string }) {
  const client = new QueryClient();
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={["/clones/ada"]}>
        <ReportButton target={{ cloneId: "c1", cloneName: "Ada", answer }} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

afterEach(() => {
  cleanup();
  sent.length = 0;
  authStatus = "signedIn";
});

describe("ReportButton", () => {
  it("asks for a reason first, then sends the report of an answer with its ids and thanks the reporter", async () => {
    renderButton({ sessionId: "s1", messageId: "m1" });
    fireEvent.click(screen.getByRole("button", { name: "Report this answer" }));
    fireEvent.click(await screen.findByRole("button", { name: "Send report" }));
    expect(await screen.findByText("Pick a reason.")).toBeTruthy();
    expect(sent).toEqual([]);

    fireEvent.click(screen.getByRole("radio", { name: /Misleading/ }));
    fireEvent.change(screen.getByRole("textbox", { name: /What is wrong/ }), { target: { value: "  Claims a cure  " } });
    fireEvent.click(screen.getByRole("button", { name: "Send report" }));
    await waitFor(() => expect(sent).toEqual([["c1", { reason: "misleading", details: "Claims a cure", sessionId: "s1", messageId: "m1" }]]));
    expect(await screen.findByText("Thank you: your report was sent")).toBeTruthy();
  });

  it("needs words for 'something else'", async () => {
    renderButton();
    fireEvent.click(screen.getByRole("button", { name: "Report Ada" }));
    fireEvent.click(await screen.findByRole("radio", { name: /Something else/ }));
    fireEvent.click(screen.getByRole("button", { name: "Send report" }));
    expect(await screen.findByText("Say what is wrong.")).toBeTruthy();
    expect(sent).toEqual([]);
  });

  it("leads a signed-out visitor to log in", () => {
    authStatus = "signedOut";
    renderButton();
    expect(screen.getByRole("link", { name: "Report Ada" }).getAttribute("href")).toBe("/login?next=%2Fclones%2Fada");
  });
});

describe("moderation badges", () => {
  it("names the Verified badge and explains it in a tooltip", () => {
    render(<VerifiedBadge kind="creator" />);
    const badge = screen.getByTestId("verified-badge");
    expect(badge.textContent).toContain("Verified");
    expect(badge.getAttribute("title")).toMatch(/Verified expert/);
  });

  it("shows the owner why a clone is hidden and what happens next, and nothing for a shown clone", () => {
    const { container } = render(<HiddenBanner clone={{ hiddenAt: null, hiddenReason: null }} />);
    expect(container.textContent).toBe("");
    render(<HiddenBanner clone={{ hiddenAt: "2026-12-06T08:00:00Z", hiddenReason: "Reported by 3 people for impersonation." }} />);
    const banner = screen.getByRole("status", { name: "Hidden from the marketplace" });
    expect(banner.textContent).toContain("Reported by 3 people for impersonation.");
    expect(banner.textContent).toContain("What happens next");
  });
});
