using CloneAI.Core.Email;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CloneAI.Local.Email;

/// <summary>
/// Writes every email as an .eml file under <c>&lt;data&gt;/outbox</c>, and relays it by SMTP when one is configured. It honours
/// <see cref="EmailMessage.Key"/>: a message whose key was sent already (a marker under <c>outbox/keys</c>) is not sent again.
/// </summary>
public sealed class OutboxEmailSender(string outbox, IOptions<EmailOptions> options, ILogger<OutboxEmailSender> logger) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        var marker = message.Key is null ? null : Path.Combine(outbox, "keys",
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(message.Key))));
        if (marker is not null && File.Exists(marker))
        {
            logger.LogInformation("Email with key {Key} was sent already", message.Key);
            return;
        }
        await WriteAsync(message, cancellationToken);
        if (marker is null) return;
        Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
        await File.WriteAllTextAsync(marker, message.Key, cancellationToken);
    }

    private async Task WriteAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(options.Value.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody();

        Directory.CreateDirectory(outbox);
        var name = $"{DateTimeOffset.UtcNow:yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}.eml";
        var temp = Path.Combine(outbox, name + ".tmp");
        await mime.WriteToAsync(temp, cancellationToken);
        File.Move(temp, Path.Combine(outbox, name));
        logger.LogInformation("Email '{Subject}' written to outbox/{File}", message.Subject, name);

        var smtp = options.Value;
        if (string.IsNullOrWhiteSpace(smtp.SmtpHost)) return;
        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.SmtpHost, smtp.SmtpPort, smtp.SmtpStartTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.SmtpUser)) await client.AuthenticateAsync(smtp.SmtpUser, smtp.SmtpPassword ?? "", cancellationToken);
        await client.SendAsync(mime, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }
}
