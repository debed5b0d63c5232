namespace CloneAI.Core.Email;

public sealed record EmailMessage(string To, string Subject, string TextBody, string HtmlBody)
{
    /// <summary>Optional idempotency key: an email service that honours keys sends a message with a given key once.</summary>
    public string? Key { get; init; }
}
