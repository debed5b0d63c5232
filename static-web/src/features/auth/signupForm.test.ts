import { describe, expect, it } from "vitest";
import { signupErrors } from "./signupForm";

const valid = { displayName: "Ada", email: "ada@example.com", password: "long enough pw", acceptTerms: true };

describe("signupErrors", () => {
  it("accepts a complete form with the terms accepted", () => {
    expect(signupErrors(valid)).toEqual({});
  });

  it("refuses the form until the terms are accepted", () => {
    expect(Object.keys(signupErrors({ ...valid, acceptTerms: false }))).toEqual(["acceptTerms"]);
  });

  it("reports every missing field at once", () => {
    expect(Object.keys(signupErrors({ displayName: " ", email: "", password: "short", acceptTerms: false })).sort()).toEqual([
      "acceptTerms",
      "displayName",
      "email",
      "password",
    ]);
  });
});
