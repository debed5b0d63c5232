using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using CloneAI.Local.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace CloneAI.Local.Tests;

/// <summary>Starts the real local host on a free loopback port with a fresh data folder, and talks HTTP to it.</summary>
public sealed partial class LocalHostFixture : IAsyncLifetime
{
    public const string AdminEmail = "admin@cloneai.test";
    public const string Password = "correct horse battery";

    private WebApplication? _app;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "cloneai-tests-" + Guid.NewGuid().ToString("N"));
    public string WebRoot { get; } = Path.Combine(Path.GetTempPath(), "cloneai-web-" + Guid.NewGuid().ToString("N"));
    public Uri BaseAddress { get; private set; } = null!;
    public WebApplication App => _app!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(WebRoot);
        await File.WriteAllTextAsync(Path.Combine(WebRoot, "index.html"), "<!doctype html><title>CloneAI test shell</title><div id=root></div>");
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        _app = LocalHost.Build(["--data", DataDir, "--urls", BaseAddress.ToString().TrimEnd('/')], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Auth:AdminEmails:0"] = AdminEmail,
                ["AuthThrottle:LoginFailuresBeforeSlowDown"] = "3",
                // The suites sign up and sign in many users from this one client; AuthThrottleTests checks the defaults on a host of its own.
                ["AuthThrottle:ClientRequestsPerMinute"] = "0",
                ["AuthThrottle:LoginRequestsPerClientPerMinute"] = "0",
                ["AuthThrottle:EmailsPerAddressPerHour"] = "0",
                ["AuthThrottle:ClientLoginFailuresBeforeSlowDown"] = "0",
                // A spent refresh token is refused at once here; AuthSecurityTests checks the grace window for two tabs on its own host.
                ["Auth:RefreshReuseGraceSeconds"] = "0",
                ["Local:WebRoot"] = WebRoot,
                ["Logging:LogLevel:Default"] = "Warning",
                ["Knowledge:MaxFileBytes"] = (2 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Knowledge:ImportAllowPrivateNetworks"] = "true",
                // The suites reuse a few users for many calls; RateLimitTests checks the default limits on a host of its own.
                ["RateLimits:ChatMessagesPerMinute"] = "1000",
                ["RateLimits:UploadsPerMinute"] = "1000",
                ["RateLimits:SessionsPerMinute"] = "1000",
                ["RateLimits:ClonesPerHour"] = "10000",
            }));
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TryDelete(DataDir);
        TryDelete(WebRoot);
    }

    public HttpClient Client(string? accessToken = null)
    {
        var client = Contract.ContractClient.Create(BaseAddress, TimeSpan.FromSeconds(30));
        if (accessToken is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>
    /// The newest email sent to <paramref name="to"/> (that <paramref name="accept"/>s), read from the outbox as a person's mail
    /// client would; waits a few seconds for it, as some account emails are sent just after the request answered.
    /// </summary>
    public MimeMessage LatestEmail(string to, Func<MimeMessage, bool>? accept = null, TimeSpan? wait = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var found = EmailsTo(to).FirstOrDefault(m => accept?.Invoke(m) ?? true);
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"No matching email to {to} in the outbox.");
            Thread.Sleep(50);
        }
    }

    /// <summary>Every email sent to <paramref name="to"/> so far, newest first.</summary>
    public List<MimeMessage> EmailsTo(string to)
    {
        var outbox = Path.Combine(DataDir, "outbox");
        if (!Directory.Exists(outbox)) return [];
        return Directory.GetFiles(outbox, "*.eml").OrderDescending()
            .Select(f => MimeMessage.Load(f))
            .Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, to, StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    public string LinkToken(string to, string page)
    {
        var text = LatestEmail(to, m => (m.TextBody ?? "").Contains(page + "?token=", StringComparison.Ordinal)).TextBody ?? "";
        var match = Regex.Match(text, Regex.Escape(page) + @"\?token=([A-Za-z0-9_\-%]+)");
        Assert.True(match.Success, $"no {page} link in: {text}");
        return Uri.UnescapeDataString(match.Groups[1].Value);
    }

    /// <summary>Runs <paramref name="request"/> and returns the token of the new <paramref name="page"/> link it emails to <paramref name="to"/>.</summary>
    public async Task<string> NewLinkTokenAsync(string to, string page, Func<Task> request)
    {
        bool Links(MimeMessage m) => (m.TextBody ?? "").Contains(page + "?token=", StringComparison.Ordinal);
        var before = EmailsTo(to).Count(Links);
        await request();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (EmailsTo(to).Count(Links) <= before)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no new {page} link was emailed to {to}");
            await Task.Delay(50);
        }
        return LinkToken(to, page);
    }

    public async Task<string> SignUpVerifiedAsync(string email, string displayName = "Test User")
    {
        using var client = Client();
        var signup = await client.PostAsJsonAsync("/api/auth/signup", new { email, password = Password, displayName, acceptTerms = true });
        Assert.Equal(HttpStatusCode.Accepted, signup.StatusCode);
        var verify = await client.PostAsJsonAsync("/api/auth/verify", new { token = LinkToken(email, "/verify") });
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        // The answer is the same whether or not the address had an account, so it names no user: the id is read from the store.
        var user = await App.Services.GetRequiredService<CloneAI.Core.Users.IUserStore>().FindByEmailAsync(CloneAI.Core.Domain.EmailAddress.Normalize(email));
        return user!.Id;
    }

    public async Task<Tokens> LoginAsync(string email, string password = Password)
    {
        using var client = Client();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Tokens>())!;
    }

    public async Task<TestUser> NewUserAsync(string prefix, bool creator = false)
    {
        var email = $"user-{Guid.NewGuid():N}@cloneai.test";
        var id = await SignUpVerifiedAsync(email, prefix);
        var tokens = await LoginAsync(email);
        if (creator)
        {
            using var client = Client(tokens.AccessToken);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/me/creator", null)).StatusCode);
        }
        return new TestUser(id, email, tokens.AccessToken, tokens.RefreshToken);
    }

    /// <summary>Puts <paramref name="amount"/> minor units in the user's wallet (a test top-up straight into the host's ledger).</summary>
    public Task FundAsync(string userId, long amount = 100_000) => Funding.FundAsync(App.Services, userId, amount);

    public static object PublishableClone(string name) => new
    {
        name,
        category = "science",
        tagline = "Answers about " + name,
        description = "A clone that knows about " + name + ".",
        tags = new[] { "test", "demo" },
        persona = new { greeting = "Hello!", tone = "friendly", answerLength = "medium", instructions = "Answer from my documents.", dontKnowMessage = "I don't know." },
        pricing = new { perMinute = 50, perMessage = (long?)null, currency = "USD", freeMessages = 3 },
    };

    public async Task<JsonElement> CreateCloneAsync(string accessToken, string name, bool publish)
    {
        using var client = Client(accessToken);
        var created = await client.PostAsJsonAsync("/api/clones", PublishableClone(name));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var clone = await created.Content.ReadFromJsonAsync<JsonElement>();
        if (!publish) return clone;
        var published = await client.PostAsync($"/api/clones/{clone.GetProperty("id").GetString()}/publish", null);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        return await published.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Uploads files to a clone's knowledge base and returns the created (or existing) documents.</summary>
    public async Task<List<JsonElement>> UploadAsync(string accessToken, string cloneId, params (string Name, byte[] Data)[] files)
    {
        using var client = Client(accessToken);
        using var form = new MultipartFormDataContent();
        foreach (var (name, data) in files) form.Add(new ByteArrayContent(data), "files", name);
        var response = await client.PostAsync($"/api/clones/{cloneId}/documents", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"upload failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().ToList();
    }

    /// <summary>Polls a document until it is ready or failed.</summary>
    public async Task<JsonElement> WaitForDocumentAsync(string accessToken, string cloneId, string documentId, TimeSpan? timeout = null)
    {
        using var client = Client(accessToken);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        while (true)
        {
            var doc = await client.GetFromJsonAsync<JsonElement>($"/api/clones/{cloneId}/documents/{documentId}");
            var status = doc.GetProperty("status").GetString();
            if (status is "ready" or "failed") return doc;
            Assert.True(DateTime.UtcNow < deadline, $"document {documentId} is still {status} ({doc.GetProperty("stage").GetString()})");
            await Task.Delay(200);
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

public sealed record Tokens(string AccessToken, string RefreshToken, int ExpiresIn);

public sealed record TestUser(string Id, string Email, string AccessToken, string RefreshToken);

[CollectionDefinition(Name)]
public sealed class LocalHostCollection : ICollectionFixture<LocalHostFixture>
{
    public const string Name = "local host";
}

/// <summary>Test money: a top-up of the host's own ledger (no payment), so paid sessions can start.</summary>
public static class Funding
{
    public static async Task FundAsync(IServiceProvider services, string userId, long amount = 100_000)
    {
        var billing = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CloneAI.Core.Billing.BillingOptions>>().Value;
        var topUp = CloneAI.Core.Billing.LedgerPostings.TopUp("test-" + Guid.NewGuid().ToString("N"), userId, amount, billing.Currency, DateTimeOffset.UtcNow);
        await services.GetRequiredService<CloneAI.Core.Billing.ILedger>().PostAsync(topUp);
    }

    /// <summary>Funds the user an HTTP client is signed in as (read from <c>GET /api/me</c>).</summary>
    public static async Task FundSignedInAsync(IServiceProvider services, HttpClient http, long amount = 100_000)
    {
        var me = await http.GetFromJsonAsync<JsonElement>("/api/me");
        await FundAsync(services, me.GetProperty("id").GetString()!, amount);
    }

    public static Task<long> BalanceAsync(IServiceProvider services, string userId) =>
        services.GetRequiredService<CloneAI.Core.Billing.ILedger>().BalanceAsync(CloneAI.Core.Billing.LedgerAccounts.Wallet(userId));
}
