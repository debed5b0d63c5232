import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { tokenStore } from "../../api/tokens";
import { json, MemoryStorage } from "../../test/fakes";

// The statement calls of the API client: the page and the PDF go with the token, and a 404 is an ApiError.
describe("api.invoices", () => {
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    vi.stubGlobal("localStorage", new MemoryStorage());
    vi.stubGlobal("fetch", fetchMock);
    fetchMock.mockReset();
    tokenStore.set({ accessToken: "a1", refreshToken: "r1" });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("reads a statement's HTML page with the token", async () => {
    fetchMock.mockResolvedValueOnce(new Response("<!DOCTYPE html><h1>CloneAI</h1>", { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" } }));
    await expect(api.invoices.html("2026-12")).resolves.toBe("<!DOCTYPE html><h1>CloneAI</h1>");
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe("/api/me/invoices/2026-12/html");
    expect((init?.headers as Record<string, string>).Authorization).toBe("Bearer a1");
  });

  it("downloads the PDF under the file name the API gives", async () => {
    fetchMock.mockResolvedValueOnce(
      new Response("%PDF-1.7", { status: 200, headers: { "Content-Type": "application/pdf", "Content-Disposition": "attachment; filename=cloneai-ST-2026-12-ABC123.pdf" } }),
    );
    const file = await api.invoices.pdf("2026-12");
    expect(fetchMock.mock.calls[0]![0]).toBe("/api/me/invoices/2026-12/pdf");
    expect(file.fileName).toBe("cloneai-ST-2026-12-ABC123.pdf");
    expect(await file.blob.text()).toBe("%PDF-1.7");
  });

  it("throws the problem for a statement that is not mine", async () => {
    fetchMock.mockResolvedValueOnce(json(404, { title: "Not found", status: 404, detail: "You have no statement or invoice with this id." }, "application/problem+json"));
    await expect(api.invoices.pdf("2026-10")).rejects.toMatchObject({ status: 404 });
  });
});
