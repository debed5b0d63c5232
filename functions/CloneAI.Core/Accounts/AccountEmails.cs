using System.Net;
using CloneAI.Core.Auth;
using CloneAI.Core.Domain;
using CloneAI.Core.Email;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Accounts;

/// <summary>
/// The account emails. None carries user-written text (not even the display name): only the service's own words, the link and
/// the address it is sent to.
/// </summary>
public sealed class AccountEmails(IEmailSender email, IOptions<AuthOptions> options)
{
    private string BaseUrl => options.Value.PublicBaseUrl.TrimEnd('/');

    public Task SendVerificationAsync(User user, string secret, CancellationToken cancellationToken)
    {
        var link = $"{BaseUrl}/verify?token={Uri.EscapeDataString(secret)}";
        return email.SendAsync(Compose(user.Email, "Verify your CloneAI email",
            ["Welcome to CloneAI. Confirm your email address with the link below.", "If you did not sign up for CloneAI, ignore this email."],
            link, "Verify email"), cancellationToken);
    }

    public Task SendResetAsync(User user, string secret, CancellationToken cancellationToken)
    {
        var link = $"{BaseUrl}/reset-password?token={Uri.EscapeDataString(secret)}";
        var minutes = options.Value.ResetTokenMinutes;
        return email.SendAsync(Compose(user.Email, "Reset your CloneAI password",
            [$"Someone asked to reset the password of your CloneAI account. Reset it with the link below (valid for {minutes} minutes).", "If it was not you, ignore this email."],
            link, "Reset password"), cancellationToken);
    }

    /// <summary>Sign-up with an address that already has an account: its owner is told, and nothing changes.</summary>
    public Task SendSignUpAttemptAsync(User user, CancellationToken cancellationToken) =>
        email.SendAsync(Compose(user.Email, "Someone tried to sign up with your email address",
            ["Someone tried to create a CloneAI account with this email address. You already have an account, so nothing was changed.",
             "If it was you, sign in with the link below; if you forgot your password, use \"Forgot password\" there.",
             "If it was not you, you can ignore this email."],
            $"{BaseUrl}/login", "Sign in"), cancellationToken);

    private static EmailMessage Compose(string to, string subject, string[] paragraphs, string link, string action)
    {
        var text = "Hello,\n\n" + string.Join("\n\n", paragraphs) + $"\n\n{action}: {link}\n";
        var html = "<p>Hello,</p>" + string.Concat(paragraphs.Select(p => $"<p>{WebUtility.HtmlEncode(p)}</p>")) +
                   $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">{WebUtility.HtmlEncode(action)}</a></p><p>{WebUtility.HtmlEncode(link)}</p>";
        return new EmailMessage(to, subject, text, html);
    }
}
