using System.Net.Http.Headers;

namespace CloneAI.Local.Tests.Contract;

/// <summary>The response checker the end-to-end tests run every response through can fail, and fails for the right reasons.</summary>
public sealed class OpenApiContractTests
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeHeaderValue ProblemJson = new("application/problem+json");
    private readonly OpenApiContract _contract = OpenApiContract.Current;

    [Fact]
    public void ABodyThatMatchesItsSchemaPasses()
    {
        _contract.Check(HttpMethod.Get, "/api/health", 200, Json, """{"status":"healthy","version":"0.1.0","store":"ok"}""");
        _contract.Check(HttpMethod.Get, "/api/clones/abc/knowledge/stats", 404, ProblemJson,
            """{"type":"https://cloneai.dev/problems/not-found","title":"Not found","status":404,"detail":"No such clone."}""");
    }

    [Theory]
    [InlineData("""{"status":"sleepy","version":"0.1.0","store":"ok"}""", "enum")]
    [InlineData("""{"status":"healthy","store":"ok"}""", "required")]
    [InlineData("""{"status":"healthy","version":"0.1.0","store":"ok","extra":1}""", "additionalProperties")]
    [InlineData("""{"status":"healthy","version":null,"store":"ok"}""", "type")]
    public void ABodyThatBreaksItsSchemaFailsNamingTheRule(string body, string rule)
    {
        var e = Assert.Throws<ContractViolationException>(() => _contract.Check(HttpMethod.Get, "/api/health", 200, Json, body));
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
        Assert.Contains("GET /api/health", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUndocumentedStatusOrMediaTypeFails()
    {
        Assert.Throws<ContractViolationException>(() => _contract.Check(HttpMethod.Get, "/api/health", 418, Json, "{}"));
        Assert.Throws<ContractViolationException>(() =>
            _contract.Check(HttpMethod.Get, "/api/health", 200, new MediaTypeHeaderValue("text/plain"), "healthy"));
    }

    [Fact]
    public void ANestedRecordIsCheckedThroughItsReference()
    {
        var e = Assert.Throws<ContractViolationException>(() => _contract.Check(HttpMethod.Get, "/api/clones", 200, Json,
            """{"items":[{"id":"x"}],"continuationToken":null}"""));
        Assert.Contains("/items/0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownRouteMustAnswerWithAProblem()
    {
        _contract.Check(HttpMethod.Get, "/api/nowhere", 404, ProblemJson,
            """{"type":"https://cloneai.dev/problems/not-found","title":"Not found","status":404,"detail":"No API route matches this path."}""");
        Assert.Throws<ContractViolationException>(() => _contract.Check(HttpMethod.Get, "/api/nowhere", 404, Json, """{"oops":true}"""));
    }
}
