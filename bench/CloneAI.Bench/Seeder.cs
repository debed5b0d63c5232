using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;

namespace CloneAI.Bench;

/// <summary>
/// Seeds the marketplace through the public API, as a creator would: one account (sign-up, the verification link from the
/// outbox, login, creator role; the password is hashed once), then N clones created and published, a few at a time.
/// </summary>
public static partial class Seeder
{
    private const string Password = "bench password 123";
    private const int Parallelism = 4;

    private static readonly string[] Topics =
        ["astronomy", "chemistry", "genetics", "geology", "physics", "ecology", "neuroscience", "oceanography", "botany", "climate"];

    public static async Task<TimeSpan> SeedAsync(BenchHost host, int count, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var email = $"bench-{Guid.NewGuid():N}@cloneai.bench";

        await PostAsync(client, "/api/auth/signup", new { email, password = Password, displayName = "Bench Creator", acceptTerms = true }, HttpStatusCode.Accepted, cancellationToken);
        await PostAsync(client, "/api/auth/verify", new { token = VerificationToken(Path.Combine(host.DataDir, "data", "outbox"), email) }, HttpStatusCode.OK, cancellationToken);
        var login = await PostAsync(client, "/api/auth/login", new { email, password = Password }, HttpStatusCode.OK, cancellationToken);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("accessToken").GetString());
        await PostAsync(client, "/api/me/creator", null, HttpStatusCode.OK, cancellationToken);

        var next = -1;
        var workers = Enumerable.Range(0, Parallelism).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var created = await PostAsync(client, "/api/clones", Clone(i), HttpStatusCode.Created, cancellationToken);
                var id = created.GetProperty("id").GetString();
                await PostAsync(client, $"/api/clones/{id}/publish", null, HttpStatusCode.OK, cancellationToken);
            }
        });
        await Task.WhenAll(workers);
        return watch.Elapsed;
    }

    /// <summary>Counts the published clones by paging the marketplace, to prove the seed landed.</summary>
    public static async Task<int> CountPublishedAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var total = 0;
        string? token = null;
        do
        {
            var url = "/api/clones?pageSize=50" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            using var response = await client.GetAsync(new Uri(url, UriKind.Relative), cancellationToken);
            response.EnsureSuccessStatusCode();
            var page = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            total += page.GetProperty("items").GetArrayLength();
            token = page.TryGetProperty("continuationToken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        }
        while (token is not null);
        return total;
    }

    private static object Clone(int i)
    {
        var topic = Topics[i % Topics.Length];
        var n = i.ToString("D4", CultureInfo.InvariantCulture);
        return new
        {
            name = $"Bench {topic} expert {n}",
            category = "science",
            tagline = $"Plain answers about {topic}, from a working scientist ({n})",
            description = $"I have spent years on {topic}. Ask me about the basics, the open questions, how the field measures what it " +
                          $"knows and where to read more. I explain with examples and say so when the evidence is thin. Clone {n}.",
            tags = new[] { topic, "science", "explainer" },
            persona = new
            {
                greeting = $"Hi! Ask me anything about {topic}.",
                instructions = $"Answer questions about {topic} from the uploaded notes. Keep answers short, cite the note you used, " +
                               "and say you do not know when the notes do not cover the question.",
            },
            pricing = new { perMinute = 25 + i % 50 },
        };
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object? body, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        using var content = body is null ? null : JsonContent.Create(body);
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != expected)
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}, expected {(int)expected}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string VerificationToken(string outbox, string email)
    {
        foreach (var file in Directory.GetFiles(outbox, "*.eml").OrderDescending())
        {
            using var message = MimeMessage.Load(file);
            if (!message.To.Mailboxes.Any(a => string.Equals(a.Address, email, StringComparison.OrdinalIgnoreCase))) continue;
            var match = VerifyLink().Match(message.TextBody ?? "");
            if (match.Success) return Uri.UnescapeDataString(match.Groups[1].Value);
        }
        throw new InvalidOperationException($"No verification email for {email} in {outbox}.");
    }

    [GeneratedRegex(@"/verify\?token=([A-Za-z0-9_\-%]+)")]
    private static partial Regex VerifyLink();
}
