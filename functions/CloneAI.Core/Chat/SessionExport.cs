using System.Globalization;
using System.Text;
using System.Text.Json;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;

namespace CloneAI.Core.Chat;

/// <summary>
/// A session's conversation as a file its user can keep: Markdown or JSON, with citations. It opens with the clone's greeting
/// (in JSON, the message of the kind <c>greeting</c>), and a preview says so. An ended session's summary (when written) comes
/// after the session's details: in JSON, as <c>summary</c>.
/// </summary>
public sealed class SessionExport(SessionService sessions, ISessionRecap? recaps = null)
{
    private static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The conversation as Markdown, JSON or PDF (<see cref="SessionPdf"/>), with citations, as the file's bytes.</summary>
    public async Task<(byte[] Data, string ContentType, string FileName)> ExportFileAsync(Caller caller, string sessionId, string? format, CancellationToken cancellationToken = default)
    {
        if (format != "pdf")
        {
            var (content, contentType, fileName) = await ExportAsync(caller, sessionId, format, cancellationToken);
            return (Encoding.UTF8.GetBytes(content), contentType, fileName);
        }
        var (session, messages) = await sessions.GetAsync(caller, sessionId, cancellationToken);
        var (cost, elapsed) = sessions.Clock(session);
        var recap = recaps is null || session.UserId != caller.UserId ? null : await recaps.GetAsync(session.UserId, session.Id, cancellationToken);
        return (SessionPdf.Render(session, messages, cost, elapsed, recap), "application/pdf", $"cloneai-session-{session.Id[..8]}.pdf");
    }

    /// <summary>The conversation as Markdown or JSON, with citations.</summary>
    public async Task<(string Content, string ContentType, string FileName)> ExportAsync(Caller caller, string sessionId, string? format, CancellationToken cancellationToken = default)
    {
        var f = format ?? "markdown";
        if (f is not ("markdown" or "json")) throw new ValidationException("format", "Use markdown, json or pdf.");
        var (session, messages) = await sessions.GetAsync(caller, sessionId, cancellationToken);
        var (cost, elapsed) = sessions.Clock(session);
        var name = $"cloneai-session-{session.Id[..8]}";
        // Only the session's user has its summary (an admin's export has none).
        var recap = recaps is null || session.UserId != caller.UserId ? null : await recaps.GetAsync(session.UserId, session.Id, cancellationToken);
        if (f == "json")
        {
            var json = JsonSerializer.Serialize(new SessionExportFile(ExportedSession.From(session, cost, elapsed), messages) { Summary = recap }, ExportJson);
            return (json, "application/json", name + ".json");
        }
        return (Markdown(session, messages, cost, elapsed, recap), "text/markdown; charset=utf-8", name + ".md");
    }

    /// <summary>The recap's label: a model's summary, or the extractive one (quoted from the answers).</summary>
    public static string RecapLabel(SessionRecap recap) => recap.Method == "model" ? "Summary" : "Extractive summary";

    private static string Markdown(ChatSession session, IReadOnlyList<SessionMessage> messages, Money cost, double elapsed, SessionRecap? recap)
    {
        var sb = new StringBuilder();
        sb.Append("# Session with ").AppendLine(session.CloneName).AppendLine();
        sb.Append(CultureInfo.InvariantCulture, $"- Started: {session.StartedAt:u}").AppendLine();
        if (session.EndedAt is { } ended) sb.Append(CultureInfo.InvariantCulture, $"- Ended: {ended:u} ({session.EndReason})").AppendLine();
        sb.Append(CultureInfo.InvariantCulture, $"- Length: {elapsed / 60:F1} min; messages: {session.MessageCount}; cost: {cost.Format()}").AppendLine();
        if (session.Preview) sb.AppendLine("- Preview of your own clone: free, not counted in its statistics");
        if (session.Rating is { } r) sb.Append(CultureInfo.InvariantCulture, $"- Rating: {r}/5").AppendLine();
        sb.AppendLine();
        if (recap is not null)
        {
            sb.Append("## ").AppendLine(RecapLabel(recap)).AppendLine().AppendLine(recap.Summary).AppendLine();
            foreach (var (title, items) in new[] { ("Key insights", recap.KeyInsights), ("Action items", recap.ActionItems), ("Next topics", recap.NextTopics) })
            {
                if (items.Count == 0) continue;
                sb.Append("### ").AppendLine(title).AppendLine();
                foreach (var item in items) sb.Append("- ").AppendLine(item);
                sb.AppendLine();
            }
            sb.AppendLine("## Conversation").AppendLine();
        }
        foreach (var m in messages)
        {
            sb.Append("**").Append(m.Role == MessageRoles.User ? "You" : session.CloneName).AppendLine("**").AppendLine();
            sb.AppendLine(m.Content).AppendLine();
            foreach (var c in m.Citations)
                sb.Append(CultureInfo.InvariantCulture, $"> [{c.N}] {c.Title} ({c.FileName}{(c.Page is { } p ? $", page {p}" : "")}, characters {c.Start}–{c.End}): {c.Snippet}").AppendLine();
            if (m.Citations.Count > 0) sb.AppendLine();
        }
        return sb.ToString();
    }
}

/// <summary>The JSON export: the session with its cost and length, and every message with its citations.</summary>
public sealed record SessionExportFile(ExportedSession Session, IReadOnlyList<SessionMessage> Messages)
{
    /// <summary>The session's summary, once written (null before, and for sessions that get none).</summary>
    public SessionRecap? Summary { get; init; }
}

/// <summary>A session as its JSON export shows it (the API's session view, with the pricing snapshot).</summary>
public sealed record ExportedSession(
    string Id, string CloneId, string CloneName, string CloneSlug, string Status, Pricing Pricing, DateTimeOffset StartedAt,
    DateTimeOffset LastActivityAt, DateTimeOffset? EndedAt, string? EndReason, int MessageCount, TokenUsage Usage, Money Cost,
    double ElapsedSeconds, int? Rating, string? RatingComment, bool Preview)
{
    public static ExportedSession From(ChatSession s, Money cost, double elapsedSeconds) => new(
        s.Id, s.CloneId, s.CloneName, s.CloneSlug, s.Status, s.Pricing, s.StartedAt, s.LastActivityAt, s.EndedAt, s.EndReason, s.MessageCount,
        new TokenUsage((int)Math.Min(int.MaxValue, s.InputTokens), (int)Math.Min(int.MaxValue, s.OutputTokens)),
        cost, Math.Round(elapsedSeconds, 1), s.Rating, s.RatingComment, s.Preview);
}
