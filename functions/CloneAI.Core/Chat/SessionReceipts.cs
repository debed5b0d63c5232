using System.Globalization;
using System.Net;
using CloneAI.Core.Auth;
using CloneAI.Core.Domain;
using CloneAI.Core.Email;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Chat;

/// <summary>
/// Emails the user a receipt when a paid-for or used session ends: the clone, when, how long, the messages and the final cost,
/// with a link back to the conversation. Only the call that actually ended the session sends it (the store refuses a second
/// end), and the message carries the key <c>receipt:{sessionId}</c>, so an email service that honours keys sends it once
/// even when a delivery is retried. A failure to send is logged and never undoes the end.
/// Without an <see cref="IEmailSender"/> (an Azure deployment without email) nothing is sent, and a preview (the owner trying
/// their own clone, free) gets no receipt.
/// </summary>
public sealed class SessionReceipts(IUserStore users, IEmailSender? email, IOptions<AuthOptions> auth, ILogger<SessionReceipts> logger)
{
    private const int MaxHighlight = 300;

    public bool Enabled => email is not null;

    /// <summary>Whether an ended session earns a receipt: it was used or it cost something, and it was not a free preview.</summary>
    public static bool Wanted(ChatSession ended, Money cost) => !ended.Preview && (ended.MessageCount > 0 || cost.Amount > 0);

    public Task SendAsync(ChatSession ended, Money cost, double elapsedSeconds, CancellationToken cancellationToken = default) =>
        SendAsync(ended, cost, elapsedSeconds, [], cancellationToken);

    /// <summary>Sends the receipt with <paramref name="highlights"/> of the session (from its summary), when there are any.</summary>
    public async Task SendAsync(ChatSession ended, Money cost, double elapsedSeconds, IReadOnlyList<string> highlights, CancellationToken cancellationToken = default)
    {
        if (email is null || !Wanted(ended, cost)) return;
        try
        {
            var user = await users.GetAsync(ended.UserId, cancellationToken);
            if (user is null || string.IsNullOrWhiteSpace(user.Email)) return;
            await email.SendAsync(Compose(ended, user.Email, cost, elapsedSeconds, auth.Value.PublicBaseUrl, highlights), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The receipt of session {SessionId} could not be sent", ended.Id);
        }
    }

    public static EmailMessage Compose(ChatSession s, string to, Money cost, double elapsedSeconds, string publicBaseUrl) =>
        Compose(s, to, cost, elapsedSeconds, publicBaseUrl, []);

    /// <summary>The receipt, with the session's highlights (its summary's key insights and action items) when it has them.</summary>
    public static EmailMessage Compose(ChatSession s, string to, Money cost, double elapsedSeconds, string publicBaseUrl, IReadOnlyList<string> highlights)
    {
        var link = $"{publicBaseUrl.TrimEnd('/')}/sessions/{Uri.EscapeDataString(s.Id)}";
        var total = cost.Format();
        var ended = (s.EndedAt ?? s.LastActivityAt).ToUniversalTime();
        var reason = s.EndReason switch
        {
            EndReasons.Idle => "ended after a quiet spell",
            EndReasons.MaxLength => "reached its maximum length",
            EndReasons.OutOfCredit => "ended when your wallet ran out of credit",
            _ => "you ended it",
        };
        var seconds = Math.Max(0, elapsedSeconds);
        var length = seconds < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(seconds):F0} s")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:F1} min");
        var lines = new (string Label, string Value)[]
        {
            ("Clone", EmailText.Quote(s.CloneName)),
            ("Started", s.StartedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)),
            ("Ended", ended.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) + $" ({reason})"),
            ("Length", length),
            ("Messages", s.MessageCount.ToString(CultureInfo.InvariantCulture)),
            ("Total", total),
        };
        // The clone's name is its creator's words: quoted, never run into the service's sentences; the user's own name is not needed.
        var subject = $"Your session with {EmailText.Quote(s.CloneName)}: {total}";
        var text = "Hello,\n\nHere is the receipt for your CloneAI session.\n\n"
                   + string.Join("\n", lines.Select(l => $"{l.Label}: {l.Value}"))
                   + (highlights.Count > 0 ? "\n\nHighlights:\n" + string.Join("\n", highlights.Select(h => "- " + Highlight(h))) : "")
                   + $"\n\nSession: {s.Id}\nRead the conversation again: {link}\n";
        var rows = string.Concat(lines.Select(l => $"<tr><th align=\"left\">{WebUtility.HtmlEncode(l.Label)}</th><td>{WebUtility.HtmlEncode(l.Value)}</td></tr>"));
        var html = "<p>Hello,</p><p>Here is the receipt for your CloneAI session.</p>"
                   + $"<table>{rows}</table>"
                   + (highlights.Count > 0 ? "<h3>Highlights</h3><ul>" + string.Concat(highlights.Select(h => $"<li>{WebUtility.HtmlEncode(Highlight(h))}</li>")) + "</ul>" : "")
                   + $"<p>Session {WebUtility.HtmlEncode(s.Id)}: <a href=\"{WebUtility.HtmlEncode(link)}\">read the conversation again</a></p>";
        return new EmailMessage(to, subject, text, html) { Key = $"receipt:{s.Id}" };
    }

    /// <summary>A highlight of the summary, under its "Highlights" label: one line, without control or invisible characters, cut short.</summary>
    private static string Highlight(string text)
    {
        var clean = DisplayNames.Clean(text);
        return clean.Length > MaxHighlight ? clean[..(MaxHighlight - 1)] + "…" : clean;
    }
}
