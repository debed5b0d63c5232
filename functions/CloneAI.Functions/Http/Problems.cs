using CloneAI.Core.Errors;
using Microsoft.AspNetCore.Mvc;

namespace CloneAI.Functions.Http;

/// <summary>RFC 7807 responses. A 5xx never carries exception details.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static ObjectResult From(AppException exception)
    {
        var problem = exception is ValidationException v
            ? new ValidationProblemDetails(v.Errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal))
            : new ProblemDetails();
        problem.Type = exception.Type;
        problem.Title = exception.Title;
        problem.Status = exception.Status;
        problem.Detail = exception.Message;
        if (exception is TooManyRequestsException tooMany)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(tooMany.RetryAfter.TotalSeconds));
            problem.Extensions["retryAfterSeconds"] = seconds;
            return new RetryAfterResult(problem, seconds);
        }
        return Result(problem);
    }

    /// <summary>A 429 problem with its <c>Retry-After</c> header.</summary>
    private sealed class RetryAfterResult : ObjectResult
    {
        private readonly int _seconds;

        public RetryAfterResult(ProblemDetails problem, int seconds) : base(problem)
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
        var problem = errors is null ? new ProblemDetails() : new ValidationProblemDetails(errors);
        problem.Type = "https://cloneai.dev/problems/" + title.ToLowerInvariant().Replace(' ', '-');
        problem.Title = title;
        problem.Status = status;
        problem.Detail = detail;
        return Result(problem);
    }

    public static ObjectResult Internal() =>
        Create(500, "Internal error", "Something went wrong on our side. It has been logged; try again.");

    private static ObjectResult Result(ProblemDetails problem)
    {
        var result = new ObjectResult(problem) { StatusCode = problem.Status };
        result.ContentTypes.Add(ContentType);
        return result;
    }
}
