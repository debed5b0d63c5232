using System.Net;
using CloneAI.Core.Email;

namespace CloneAI.Core.Moderation;

/// <summary>
/// The emails moderation sends. User-written text (a clone's name, an admin's note) is never part of the service's own
/// sentences: it appears only quoted and labelled on a line of its own ("Clone name: “…”"). Reporters' words never appear.
/// </summary>
public static class ModerationEmails
{
    public static EmailMessage CloneHidden(string to, string cloneId, string cloneName, IReadOnlyList<string> reasons, string? moderatorNote, string publicBaseUrl)
    {
        var link = $"{publicBaseUrl.TrimEnd('/')}/studio/{Uri.EscapeDataString(cloneId)}";
        var why = string.Join(", ", reasons.Select(ReportReasons.Describe));
        var lines = new List<(string Label, string Value)> { ("Clone name", Quote(cloneName)), ("Clone id", cloneId), ("Reported for", why) };
        if (!string.IsNullOrWhiteSpace(moderatorNote)) lines.Add(("Moderator's note", Quote(moderatorNote)));
        const string intro = "One of your clones has been hidden from the CloneAI marketplace, search and recommendations after users reported it.";
        const string next = "You can still open and edit it in Studio. An admin will review the reports: if they find nothing wrong, the clone is shown again and we will tell you. Until then, new users cannot find it or start sessions with it.";
        return Compose(to, "Your clone is hidden from the marketplace while we review reports", intro, lines, next, link, "Open it in Studio", $"clone-hidden:{cloneId}:{Guid.NewGuid():N}");
    }

    public static EmailMessage CloneRestored(string to, string cloneId, string cloneName, string publicBaseUrl)
    {
        var link = $"{publicBaseUrl.TrimEnd('/')}/studio/{Uri.EscapeDataString(cloneId)}";
        return Compose(to, "Your clone is back in the marketplace",
            "An admin reviewed the reports about one of your clones and restored it: it is shown in the marketplace again.",
            [("Clone name", Quote(cloneName)), ("Clone id", cloneId)], null, link, "Open it in Studio", $"clone-restored:{cloneId}:{Guid.NewGuid():N}");
    }

    public static EmailMessage VerificationApproved(string to, string requestId, string publicBaseUrl) =>
        Compose(to, "You are now a verified expert on CloneAI",
            "An admin approved your verification request. Your profile and all your clones now carry the Verified badge.",
            [("Request", requestId)], null, $"{publicBaseUrl.TrimEnd('/')}/studio", "Open Studio", $"verification:{requestId}");

    public static EmailMessage VerificationRejected(string to, string requestId, string reason, string publicBaseUrl) =>
        Compose(to, "Your verification request was not approved",
            "An admin reviewed your verification request and did not approve it. The reviewer's note below says why. You can send a new request with more evidence.",
            [("Request", requestId), ("Reviewer's note", Quote(reason))], null, $"{publicBaseUrl.TrimEnd('/')}/studio", "Open Studio", $"verification:{requestId}");

    private static string Quote(string text) => $"“{Flatten(text)}”";

    /// <summary>One line: control characters and line breaks become spaces, so quoted text cannot start lines of its own.</summary>
    private static string Flatten(string text) =>
        string.Join(' ', new string(text.Select(c => char.IsControl(c) || c is '\u2028' or '\u2029' or '\u202E' or '\u202D' or '\u2066' or '\u2067' or '\u2068' or '\u2069' ? ' ' : c).ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static EmailMessage Compose(string to, string subject, string intro, IReadOnlyList<(string Label, string Value)> lines, string? next, string link, string linkText, string key)
    {
        var text = "Hello,\n\n" + intro + "\n\n" + string.Join("\n", lines.Select(l => $"{l.Label}: {l.Value}"))
                   + (next is null ? "" : "\n\n" + next) + $"\n\n{linkText}: {link}\n\nThe CloneAI team\n";
        var rows = string.Concat(lines.Select(l => $"<tr><th align=\"left\">{WebUtility.HtmlEncode(l.Label)}</th><td>{WebUtility.HtmlEncode(l.Value)}</td></tr>"));
        var html = $"<p>Hello,</p><p>{WebUtility.HtmlEncode(intro)}</p><table>{rows}</table>"
                   + (next is null ? "" : $"<p>{WebUtility.HtmlEncode(next)}</p>")
                   + $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">{WebUtility.HtmlEncode(linkText)}</a></p><p>The CloneAI team</p>";
        return new EmailMessage(to, subject, text, html) { Key = key };
    }
}
