using System.Net.Http.Headers;
using CloneAI.Core.Accounts;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Users;
using CloneAI.Local.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Local.Tests;

/// <summary>The real clock plus an offset a test moves forward (access tokens are still checked against the real clock).</summary>
public sealed class ShiftedTime : TimeProvider
{
    public TimeSpan Offset { get; set; }
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

/// <summary>
/// A local host of a test's own (its settings or services differ from the shared fixture's), on a free loopback port with a
/// fresh data folder, with users and clones made straight through the services and tokens from the host's issuer.
/// </summary>
public sealed class OwnHost : IAsyncDisposable
{
    private readonly bool _ownsData;

    private OwnHost(WebApplication app, string url, string dataDir, bool ownsData = true)
    {
        App = app;
        Url = url;
        DataDir = dataDir;
        _ownsData = ownsData;
    }

    public WebApplication App { get; }
    public string Url { get; }
    public string DataDir { get; }
    public IServiceProvider Services => App.Services;

    /// <param name="dataDir">A data folder of the test's own, kept when the host stops (a restart finds it); else a fresh one, deleted.</param>
    public static async Task<OwnHost> StartAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, string? dataDir = null)
    {
        var data = dataDir ?? Path.Combine(Path.GetTempPath(), "cloneai-own-" + Guid.NewGuid().ToString("N"));
        var url = $"http://127.0.0.1:{LocalHostFixture.FreePort()}";
        var configuration = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" };
        foreach (var (key, value) in settings ?? []) configuration[key] = value;
        var app = LocalHost.Build(["--data", data, "--urls", url], b => b.Configuration.AddInMemoryCollection(configuration), services);
        await app.StartAsync();
        return new OwnHost(app, url, data, ownsData: dataDir is null);
    }

    /// <summary>The user with this id, made (verified) if it does not exist yet.</summary>
    public async Task<User> UserAsync(string id, bool creator = false)
    {
        var users = Services.GetRequiredService<IUserStore>();
        var now = DateTimeOffset.UtcNow;
        return await users.GetAsync(id) ?? await users.CreateAsync(new User
        {
            Id = id, Email = id + "@cloneai.test", DisplayName = id, IsCreator = creator, EmailVerified = true, CreatedAt = now, UpdatedAt = now,
        });
    }

    /// <summary>A published clone of <paramref name="creator"/> with the given pricing.</summary>
    public async Task<Clone> PublishedCloneAsync(User creator, string name, PricingInput pricing)
    {
        var caller = new Caller(creator.Id, creator.Email, creator.DisplayName, false, true);
        var clones = Services.GetRequiredService<CloneService>();
        var clone = await clones.CreateAsync(caller, new CloneInput(Name: name, Category: "science", Description: "d",
            Persona: new PersonaInput(Greeting: "Hi", Instructions: "Answer."), Pricing: pricing));
        return await clones.PublishAsync(caller, clone.Id);
    }

    /// <summary>Puts <paramref name="amount"/> minor units in the user's wallet.</summary>
    public Task FundAsync(User user, long amount = 100_000) => Funding.FundAsync(Services, user.Id, amount);

    /// <summary>An HTTP client signed in as <paramref name="user"/>.</summary>
    public HttpClient Client(User user)
    {
        var http = Contract.ContractClient.Create(new Uri(Url));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Services.GetRequiredService<IAccessTokenIssuer>().Issue(user).Token);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_ownsData) return;
        try { Directory.Delete(DataDir, true); } catch (IOException) { }
    }
}
