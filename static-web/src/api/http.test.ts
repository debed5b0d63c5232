import { describe, expect, it } from "vitest";
import { ApiError, dispositionFileName, parseProblem } from "./http";

describe("parseProblem", () => {
  it("reads an RFC 7807 body with field errors", () => {
    const problem = parseProblem(400, {
      type: "https://cloneai.dev/problems/validation-failed",
      title: "Validation failed",
      status: 400,
      detail: "One or more fields are invalid.",
      errors: { "persona.greeting": ["Add a greeting."], bad: 3 },
    });
    expect(problem).toEqual({
      status: 400,
      title: "Validation failed",
      detail: "One or more fields are invalid.",
      errors: { "persona.greeting": ["Add a greeting."] },
    });
  });

  it("falls back to words for bodies that are not problems", () => {
    expect(parseProblem(502, "Bad gateway")).toEqual({ status: 502, title: "The server is unavailable", detail: "", errors: {} });
  });

  it("matches field keys without regard to case", () => {
    const error = new ApiError({ status: 400, title: "x", detail: "", errors: { "Persona.Greeting": ["a"], "persona.greeting": ["b"] } });
    expect(error.field("persona.greeting")).toEqual(["a", "b"]);
  });
});

describe("dispositionFileName", () => {
  it("reads plain, quoted and encoded names", () => {
    expect(dispositionFileName("attachment; filename=a.md")).toBe("a.md");
    expect(dispositionFileName('attachment; filename="a b.json"')).toBe("a b.json");
    expect(dispositionFileName("attachment; filename=x.md; filename*=UTF-8''caf%C3%A9.md")).toBe("café.md");
    expect(dispositionFileName(null)).toBeNull();
    expect(dispositionFileName("inline")).toBeNull();
  });
});
