namespace CloneAI.Core.Errors;

/// <summary>A failure the API maps to an RFC 7807 problem. The message is safe to show to the caller.</summary>
public abstract class AppException : Exception
{
    protected AppException(string message) : base(message) { }

    public abstract int Status { get; }
    public abstract string Title { get; }
    public virtual string Type => "https://cloneai.dev/problems/" + Title.ToLowerInvariant().Replace(' ', '-');
}

public sealed class ValidationException : AppException
{
    public ValidationException(IReadOnlyDictionary<string, string[]> errors, string? message = null)
        : base(message ?? "One or more fields are invalid.") => Errors = errors;

    public ValidationException(string field, string error) : this(new Dictionary<string, string[]> { [field] = [error] }) { }

    public IReadOnlyDictionary<string, string[]> Errors { get; }
    public override int Status => 400;
    public override string Title => "Validation failed";
}

public sealed class UnauthorizedException(string message = "Sign in to do this.") : AppException(message)
{
    public override int Status => 401;
    public override string Title => "Unauthorized";
}

public sealed class ForbiddenException(string message = "You are not allowed to do this.") : AppException(message)
{
    public override int Status => 403;
    public override string Title => "Forbidden";
}

public sealed class NotFoundException(string message) : AppException(message)
{
    public override int Status => 404;
    public override string Title => "Not found";
}

public sealed class ConflictException(string message) : AppException(message)
{
    public override int Status => 409;
    public override string Title => "Conflict";
}

public sealed class PayloadTooLargeException(string message) : AppException(message)
{
    public override int Status => 413;
    public override string Title => "Payload too large";
}

/// <summary>The caller went over a rate limit; <see cref="RetryAfter"/> says when to try again.</summary>
public sealed class TooManyRequestsException(string message, TimeSpan retryAfter) : AppException(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
    public override int Status => 429;
    public override string Title => "Too many requests";
}

/// <summary>A service the request depends on (the chat model) failed; the request may be retried.</summary>
public sealed class UpstreamException(string message) : AppException(message)
{
    public override int Status => 502;
    public override string Title => "Bad gateway";
}

/// <summary>Collects per-field errors and throws one <see cref="ValidationException"/>.</summary>
public sealed class Validator
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public Validator Add(string field, string error)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(error);
        return this;
    }

    public Validator Require(string field, string? value, int maxLength, int minLength = 1)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (minLength > 0) Add(field, "Required.");
            return this;
        }
        if (value.Length > maxLength) Add(field, $"At most {maxLength} characters.");
        else if (value.Trim().Length < minLength) Add(field, $"At least {minLength} characters.");
        return this;
    }

    public Validator Optional(string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength) Add(field, $"At most {maxLength} characters.");
        return this;
    }

    public void ThrowIfInvalid()
    {
        if (!IsValid)
            throw new ValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
    }
}
