using CloneAI.Core.Billing;
using CloneAI.Core.Chat;
using CloneAI.Core.Errors;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace CloneAI.Functions.Http;

/// <summary>RFC 7807 responses. A 5xx never carries exception details.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static ObjectResult From(AppException exception)
    {
        var errors = exception is ValidationException v ? v.Errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal) : null;
        var problem = new Problem(exception.Type, exception.Title, exception.Status, exception.Message, errors);
        // A 402 names what the wallet lacks, in minor units of the platform currency.
        if (exception is InsufficientFundsException lacking)
            problem = problem with { Missing = lacking.Missing, Currency = lacking.Currency };
        else if (exception is OutOfCreditException outOfCredit)
            problem = problem with { Missing = outOfCredit.Missing, Currency = outOfCredit.Currency };
        if (exception is TooManyRequestsException tooMany)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(tooMany.RetryAfter.TotalSeconds));
            return new RetryAfterResult(problem with { RetryAfterSeconds = seconds }, seconds);
        }
        return Result(problem);
    }

    /// <summary>A 429 problem with its <c>Retry-After</c> header.</summary>
    private sealed class RetryAfterResult : ObjectResult
    {
        private readonly int _seconds;

        public RetryAfterResult(Problem problem, int seconds) : base(problem)
        {
            _seconds = seconds;
            StatusCode = problem.Status;
            ContentTypes.Add(ContentType);
        }

        public override Task ExecuteResultAsync(ActionContext context)
        {
            context.HttpContext.Response.Headers.RetryAfter = _seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return base.ExecuteResultAsync(context);
        }
    }

    public static ObjectResult Create(int status, string title, string detail, IDictionary<string, string[]>? errors = null)
    {
        var type = "https://cloneai.dev/problems/" + title.ToLowerInvariant().Replace(' ', '-');
        return Result(new Problem(type, title, status, detail, errors?.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal)));
    }

    public static ObjectResult Internal() =>
        Create(500, "Internal error", "Something went wrong on our side. It has been logged; try again.");

    private static ObjectResult Result(Problem problem)
    {
        var result = new ObjectResult(problem) { StatusCode = problem.Status };
        result.ContentTypes.Add(ContentType);
        return result;
    }
}

/// <summary>
/// An RFC 7807 problem: <c>type</c>, <c>title</c>, <c>status</c> and a human <c>detail</c>; <c>errors</c> per field for bad input,
/// <c>retryAfterSeconds</c> with a 429, and with a 402 (<c>…/insufficient-funds</c>, <c>…/out-of-credit</c>) the amount the wallet
/// lacks (<c>missing</c>, minor units) and its <c>currency</c>.
/// </summary>
public sealed record Problem(
    string Type,
    string Title,
    int Status,
    string Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string[]>? Errors = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RetryAfterSeconds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Missing = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Currency = null);
