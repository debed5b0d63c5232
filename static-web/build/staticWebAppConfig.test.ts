import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { apiOrigin, contentSecurityPolicy, staticWebAppConfig } from "./staticWebAppConfig";

const shipped = readFileSync(new URL("../public/staticwebapp.config.json", import.meta.url), "utf8");
const policy = (JSON.parse(shipped) as { globalHeaders: Record<string, string> }).globalHeaders["Content-Security-Policy"]!;

function directive(csp: string, name: string): string[] {
  const found = csp.split(";").map((d) => d.trim().split(/\s+/)).find((d) => d[0] === name);
  return found ? found.slice(1) : [];
}

describe("contentSecurityPolicy", () => {
  it("adds the API's origin, Blob Storage, Web PubSub's WebSocket and the Entra authorities to connect-src", () => {
    const csp = contentSecurityPolicy(policy, "https://func-api-x.azurewebsites.net/");

    expect(directive(csp, "connect-src")).toEqual([
      "'self'",
      "https://func-api-x.azurewebsites.net",
      "https://login.microsoftonline.com",
      "https://*.ciamlogin.com",
      "https://*.blob.core.windows.net",
      "wss://*.webpubsub.azure.com",
    ]);
  });

  it("leaves every other directive as it was", () => {
    const csp = contentSecurityPolicy(policy, "https://func-api-x.azurewebsites.net");

    const others = (p: string) => p.split(";").map((d) => d.trim()).filter((d) => !d.startsWith("connect-src"));
    expect(others(csp)).toEqual(others(policy));
    expect(directive(csp, "frame-ancestors")).toEqual(["'none'"]);
  });

  it("uses only the origin of a base URL with a path, and adds nothing twice", () => {
    const once = contentSecurityPolicy(policy, "https://api.example.com:8443/some/path?x=1");
    const twice = contentSecurityPolicy(once, "https://api.example.com:8443");

    expect(directive(once, "connect-src")).toContain("https://api.example.com:8443");
    expect(twice).toBe(once);
  });

  it("creates connect-src after default-src when the policy has none", () => {
    const csp = contentSecurityPolicy("default-src 'self'; img-src 'self'", "https://api.example.com");

    expect(csp.startsWith("default-src 'self'; connect-src 'self' https://api.example.com ")).toBe(true);
    expect(csp.endsWith("; img-src 'self'")).toBe(true);
  });

  it("is the policy itself for the same origin", () => {
    expect(contentSecurityPolicy(policy, "")).toBe(policy);
    expect(contentSecurityPolicy(policy, "  ")).toBe(policy);
  });

  it("refuses a base that is not an absolute http(s) URL", () => {
    expect(() => apiOrigin("func-api-x.azurewebsites.net")).toThrow(/absolute URL/);
    expect(() => apiOrigin("ftp://example.com")).toThrow(/http\(s\)/);
  });
});

describe("staticWebAppConfig", () => {
  it("keeps the shipped file byte for byte without an API base URL", () => {
    expect(staticWebAppConfig(shipped, "")).toBe(shipped);
  });

  it("changes only the Content-Security-Policy header", () => {
    const original = JSON.parse(shipped) as Record<string, unknown> & { globalHeaders: Record<string, string> };
    const built = JSON.parse(staticWebAppConfig(shipped, "https://func-api-x.azurewebsites.net")) as typeof original;

    expect(built.globalHeaders["Content-Security-Policy"]).toBe(
      contentSecurityPolicy(policy, "https://func-api-x.azurewebsites.net"),
    );
    expect({ ...built, globalHeaders: { ...built.globalHeaders, "Content-Security-Policy": "" } }).toEqual({
      ...original,
      globalHeaders: { ...original.globalHeaders, "Content-Security-Policy": "" },
    });
  });
});
