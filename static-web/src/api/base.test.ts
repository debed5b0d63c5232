import { afterEach, describe, expect, it, vi } from "vitest";
import { apiBase, apiUrl, trimBase } from "./base";

describe("the API base URL", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("is the same origin when unset or empty: paths stay as they are", () => {
    vi.stubEnv("VITE_API_BASE_URL", "");
    expect(apiBase()).toBe("");
    expect(apiUrl("/api/me")).toBe("/api/me");
  });

  it("prefixes API paths, with trailing slashes dropped", () => {
    vi.stubEnv("VITE_API_BASE_URL", "https://func-api-x.azurewebsites.net//");
    expect(apiUrl("/api/clones?q=a")).toBe("https://func-api-x.azurewebsites.net/api/clones?q=a");
  });

  it("leaves absolute, protocol-relative, blob and data URLs alone", () => {
    vi.stubEnv("VITE_API_BASE_URL", "https://func-api-x.azurewebsites.net");
    for (const url of ["https://cdn.example.com/a.png", "//cdn.example.com/a.png", "blob:http://x/1", "data:image/png;base64,AA"]) {
      expect(apiUrl(url)).toBe(url);
    }
  });

  it("trims spaces and slashes", () => {
    expect(trimBase(undefined)).toBe("");
    expect(trimBase(" https://a.example.com/ ")).toBe("https://a.example.com");
  });
});
