using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Core;
using CloneAI.Core.Email;
using Microsoft.Extensions.Options;

namespace CloneAI.Azure.Email;

/// <summary>
/// <see cref="IEmailSender"/> on the Azure Communication Services Email REST API (<c>POST /emails:send</c>), written by hand:
/// the SDK package is not available here. It signs in with Entra (<see cref="EntraScope"/>; the app identity holds
/// Communication and Email Service Owner), so no key is stored. Each message gets an <c>Operation-Id</c>: derived from
/// <see cref="EmailMessage.Key"/> when the message has one, so a repeated send is the same operation to the service, and the
/// same id is reused when a throttled or failed attempt is retried. The service queues the email (202); delivery is its job.
/// </summary>
public sealed class AcsEmailSender(HttpClient http, IOptions<AcsEmailOptions> options, TokenCredential credential, TimeProvider time) : IEmailSender
{
    public const string ApiVersion = "2023-03-31";
    public const string EntraScope = "https://communication.azure.com/.default";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The longest wait between attempts: a receipt is sent while a session ends, so it must not hold that up for long.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        if (o.Endpoint is null || string.IsNullOrWhiteSpace(o.Sender))
            throw new InvalidOperationException("Set CommunicationEmail:Endpoint and CommunicationEmail:Sender to send email.");
        var operationId = OperationId(message.Key);
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            senderAddress = o.Sender,
            content = new { subject = message.Subject, plainText = message.TextBody, html = message.HtmlBody },
            recipients = new { to = new[] { new { address = message.To } } },
        }, Json);
        // Not new Uri(endpoint, "emails:send…"): a relative "emails:send" reads as a URI with the scheme "emails".
        var url = new Uri($"{o.Endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/')}/emails:send?api-version={ApiVersion}");

        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            };
            request.Headers.Add("Operation-Id", operationId);
            var token = await credential.GetTokenAsync(new TokenRequestContext([EntraScope]), cancellationToken);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode) return;

            var transient = response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
            if (!transient || attempt >= Math.Max(1, o.MaxAttempts))
            {
                var detail = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new HttpRequestException(
                    $"Communication Services refused the email ({(int)response.StatusCode}): {Truncate(detail, 500)}", null, response.StatusCode);
            }
            await Task.Delay(RetryDelay(response, attempt, time.GetUtcNow()), time, cancellationToken);
        }
    }

    /// <summary>A UUID for the operation: stable for a keyed message (SHA-256 of the key), random otherwise.</summary>
    public static string OperationId(string? key)
    {
        if (string.IsNullOrEmpty(key)) return Guid.NewGuid().ToString();
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        var bytes = hash[..16].ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50); // version 5-style name-based id
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }

    internal static TimeSpan RetryDelay(HttpResponseMessage response, int attempt, DateTimeOffset now)
    {
        var after = response.Headers.RetryAfter;
        var delay = after?.Delta ?? (after?.Date is { } date ? date - now : TimeSpan.FromSeconds(Math.Pow(2, attempt - 1)));
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxRetryDelay ? MaxRetryDelay : delay;
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}
