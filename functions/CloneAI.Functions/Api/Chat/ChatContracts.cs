using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using CloneAI.Core.Chat;
using CloneAI.Core.Domain;
using CloneAI.Functions.Api.Clones;
using CloneAI.Functions.Http;

namespace CloneAI.Functions.Api.Chat;

/// <summary>
/// A chat session with its running (or final) cost and length. Prices are the snapshot taken when it started. Its first
/// message is the clone's greeting.
/// </summary>
public sealed record SessionDto(
    string Id, string CloneId, string CloneName, string CloneSlug, [property: ValuesFrom(typeof(SessionStatus))] string Status,
    PricingDto Pricing, DateTimeOffset StartedAt, DateTimeOffset LastActivityAt, DateTimeOffset? EndedAt,
    [property: ValuesFrom(typeof(EndReasons))] string? EndReason, int MessageCount, TokenUsage Usage, Money Cost, double ElapsedSeconds,
    int? Rating, string? RatingComment,
    [Description("The clone's owner trying it: free (the cost stays zero), not counted in the clone's statistics, and not rateable.")] bool Preview,
    [Description("When the clock started: at the first question (null until then; the session costs nothing before it).")] DateTimeOffset? ClockStartedAt = null)
{
    public static SessionDto From(ChatSession s, Money cost, double elapsedSeconds) => new(
        s.Id, s.CloneId, s.CloneName, s.CloneSlug, s.Status,
        new PricingDto(s.Pricing.PerMinute, s.Pricing.PerMessage, s.Pricing.Currency, s.Pricing.FreeMessages),
        s.StartedAt, s.LastActivityAt, s.EndedAt, s.EndReason, s.MessageCount,
        new TokenUsage((int)Math.Min(int.MaxValue, s.InputTokens), (int)Math.Min(int.MaxValue, s.OutputTokens)),
        cost, Math.Round(elapsedSeconds, 1), s.Rating, s.RatingComment, s.Preview, SessionBilling.ClockStart(s));
}

public sealed record SessionPage(IReadOnlyList<SessionDto> Items, string? ContinuationToken);

/// <summary>One message of a session; an answer carries its citations, token usage, cost and how it was made.</summary>
public sealed record MessageDto(
    string Id, [property: ValuesFrom(typeof(MessageRoles))] string Role, string Content, IReadOnlyList<Citation> Citations, TokenUsage? Usage,
    Money? Cost, [property: ValuesFrom(typeof(AnswerKinds))] string? AnswerKind, string? ClientMessageId, DateTimeOffset CreatedAt,
    [property: Description("True when the requester hung up mid-answer: the content is the part written by then, stored and billed as the answer.")] bool Interrupted = false)
{
    public static MessageDto From(SessionMessage m) =>
        new(m.Id, m.Role, m.Content, m.Citations, m.Usage, m.Cost, m.AnswerKind, m.ClientMessageId, m.CreatedAt, m.Interrupted);
}

public sealed record SessionWithMessages(SessionDto Session, IReadOnlyList<MessageDto> Messages);

public sealed record PostMessageRequest(
    [Required] string? Content,
    [Required, Description("The client's key for this message (1 to 100 letters, digits, '-', '_', ':' or '.'): a retry with the same key is answered once.")] string? ClientMessageId);

public sealed record RateSessionRequest([Required, Description("1 to 5.")] int? Stars, string? Comment);

public static class ExportFormats
{
    public const string Markdown = "markdown";
    public const string Json = "json";
    public const string Pdf = "pdf";
}

public sealed record ExportQuery([ValuesFrom(typeof(ExportFormats)), Description("Default markdown.")] string? Format);

public sealed record NegotiateQuery([Description("Your session whose answers to receive (adds the group session-{id}).")] string? SessionId);

/// <summary>Where the realtime client connects (subprotocol json.webpubsub.azure.v1) and the groups its token may join.</summary>
public sealed record RealtimeNegotiation(string Url, string BaseUrl, string AccessToken, DateTimeOffset ExpiresAt, IReadOnlyList<string> Groups);
