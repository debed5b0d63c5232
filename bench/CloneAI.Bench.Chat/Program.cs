using CloneAI.Core.Chat;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CloneAI.Azure.Tests.AI;
using CloneAI.Core.Accounts;
using CloneAI.Core.Billing;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Users;
using CloneAI.Local.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// bench/chat: a local host in this process with the COVID-QA papers as one clone's knowledge base; 100 concurrent sessions,
// each asking dev questions with think time between them, over SSE. It times the first streamed word (delta) with the
// extractive responder, then with a loopback OpenAI-compatible model that streams at once (so the time is what the product
// adds before the first token: retrieval, prompt, hub), against a baseline of the bare knowledge search under the same load.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var o = Options.Parse(args);
if (o.Help)
{
    Console.WriteLine("usage: bench/chat [--corpus PATH] [--queries PATH] [--sessions 100] [--rounds 3] [--think-ms 1000-4000] [--data DIR (kept, reused)] [--strict]");
    Console.WriteLine("       bench/ledger (--ledger) [--charges 10000] [--wallets 100] [--strict]");
    return 0;
}
if (o.Ledger) return await LedgerBench.RunAsync(o);
var data = o.Data ?? Path.Combine(Path.GetTempPath(), "cloneai-bench-chat-" + Guid.NewGuid().ToString("N"));
try
{
    return await Bench.RunAsync(o, data);
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    if (o.Data is null) try { Directory.Delete(data, true); } catch (IOException) { }
}

sealed record Options(string Corpus, string Queries, int Sessions, int Rounds, int ThinkMin, int ThinkMax, string? Data, bool Strict, bool Help,
    bool Ledger = false, int Charges = 10_000, int Wallets = 100)
{
    public static Options Parse(string[] args)
    {
        var dir = FindCovidQa();
        var o = new Options(Path.Combine(dir, "corpus.jsonl"), Path.Combine(dir, "dev.jsonl"), 100, 3, 1000, 4000, null, false, false);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => args[++i];
            o = args[i] switch
            {
                "--corpus" => o with { Corpus = Next() },
                "--queries" => o with { Queries = Next() },
                "--sessions" => o with { Sessions = int.Parse(Next()) },
                "--rounds" => o with { Rounds = int.Parse(Next()) },
                "--think-ms" => Next().Split('-') is [var a, var b] ? o with { ThinkMin = int.Parse(a), ThinkMax = int.Parse(b) } : throw new ArgumentException("--think-ms MIN-MAX"),
                "--data" => o with { Data = Next() },
                "--strict" => o with { Strict = true },
                "--ledger" => o with { Ledger = true },
                "--charges" => o with { Charges = int.Parse(Next()) },
                "--wallets" => o with { Wallets = int.Parse(Next()) },
                "-h" or "--help" => o with { Help = true },
                var other => throw new ArgumentException($"Unknown option {other}."),
            };
        }
        return o;
    }

    private static string FindCovidQa()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var c = Path.Combine(dir.FullName, "shared", "eval", "covidqa");
            if (File.Exists(Path.Combine(c, "corpus.jsonl"))) return c;
            c = Path.Combine(dir.FullName, "..", "shared", "eval", "covidqa");
            if (File.Exists(Path.Combine(c, "corpus.jsonl"))) return Path.GetFullPath(c);
        }
        return "../shared/eval/covidqa";
    }
}

static class Bench
{
    private const string Slug = "bench-covidqa";

    public static async Task<int> RunAsync(Options o, string data)
    {
        Console.WriteLine($"cores {Environment.ProcessorCount}; {o.Sessions} sessions x {o.Rounds} questions, think time {o.ThinkMin}-{o.ThinkMax} ms; data {data}");
        var questions = File.ReadLines(o.Queries).Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("query").GetString()!).ToList();

        // Phase 1: the extractive responder.
        var (app, url) = await StartAsync(data, []);
        var (cloneId, owner, users, caller) = await PrepareAsync(app, o);
        using var http = Client(url);
        async Task<double> Search(int i, int round, CancellationToken ct)
        {
            var t = Stopwatch.GetTimestamp();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/clones/{cloneId}/knowledge/search?q={Uri.EscapeDataString(questions[(i * o.Rounds + round) % questions.Count])}&top=6");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", owner);
            using var response = await http.SendAsync(request, ct);
            await response.Content.ReadAsByteArrayAsync(ct);
            response.EnsureSuccessStatusCode();
            return Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }
        for (var w = 0; w < 20; w++) await Search(0, o.Rounds + w, CancellationToken.None); // warm-up, not timed
        var baseline = await RunLoadAsync(o, users.Count, Search);
        // Billing off and on in the same load, so the machine's other work and the order of phases weigh on both alike: the even
        // users' sessions start while the clone is free (no price per minute, 0 per message: no wallet is read and nothing is
        // charged), the odd users' after it is priced per minute and per message (their funded wallets pay: the balance check,
        // the first minute's charge before the answer, each message's after it). Sessions snapshot the price when they start.
        await PriceAsync(app, caller, cloneId, paid: false);
        var (free, extractive) = await ChatLoadAsync(o, http, cloneId, users, questions, () => PriceAsync(app, caller, cloneId, paid: true));
        var charges = await app.Services.GetRequiredService<ILedger>().CheckAsync();
        await app.StopAsync();
        await app.DisposeAsync();

        // Phase 2: a loopback OpenAI-compatible model that streams its first token at once.
        await using var model = new LoopbackChatServer(Enumerable.Range(0, 40).Select(i => $"word{i} ").Append("[1]").ToArray());
        (app, url) = await StartAsync(data, new() { ["Chat:Provider"] = "openai", ["Chat:Endpoint"] = model.BaseUrl + "v1", ["Chat:Model"] = "loopback" });
        using var http2 = Client(url);
        var (loopbackOff, loopbackOn) = await ChatLoadAsync(o, http2, cloneId, users, questions);
        var loopback = loopbackOff.Concat(loopbackOn).ToList();
        await app.StopAsync();
        await app.DisposeAsync();

        Console.WriteLine();
        Console.WriteLine(Line("baseline: knowledge search", baseline));
        Console.WriteLine(Line("first delta, billing off", free));
        Console.WriteLine(Line("first delta, billing on", extractive));
        Console.WriteLine(Line("first delta, loopback model", loopback));
        var p95e = Percentile(extractive, 95);
        var p95l = Percentile(loopback, 95);
        var p95b = Percentile(baseline, 95);
        Console.WriteLine($"ratio first delta (extractive) / knowledge search, p95: {p95e / p95b:F2}x");
        var p95f = Percentile(free, 95);
        p95e = Percentile(free.Concat(extractive).ToList(), 95); // the product's first delta: both halves
        var p95on = Percentile(extractive, 95);
        Console.WriteLine($"billing on - off, first delta p95: {p95on - p95f:+0.0;-0.0} ms (on {p95on:F1}, off {p95f:F1}); ledger: {charges.Transactions} transactions, balanced {charges.Balanced}");
        Console.WriteLine();
        var pass1 = p95e <= 150;
        var pass2 = p95l <= 40;
        var pass3 = p95on - p95f <= 5;
        Console.WriteLine($"target first-delta p95 growth with billing on <= 5 ms: {p95on - p95f,7:F1} ms  {(pass3 ? "PASS" : "FAIL")}");
        Console.WriteLine($"target p95 time to first delta, 100 sessions, extractive <= 150 ms: {p95e,7:F1} ms  {(pass1 ? "PASS" : "FAIL")}");
        Console.WriteLine($"target p95 time added before the first token (loopback model) <= 40 ms: {p95l,7:F1} ms  {(pass2 ? "PASS" : "FAIL")}");
        return o.Strict && !(pass1 && pass2 && pass3) ? 3 : 0;
    }

    /// <summary>The clone free (billing off) or paid per minute and per message (billing on); new sessions snapshot it.</summary>
    private static async Task PriceAsync(WebApplication app, Caller caller, string cloneId, bool paid)
    {
        var pricing = paid ? new PricingInput(PerMinute: 10, PerMessage: 1, Currency: "USD", FreeMessages: 0) : new PricingInput(PerMessage: 0, Currency: "USD", FreeMessages: 0, ClearPerMinute: true);
        await app.Services.GetRequiredService<CloneService>().UpdateAsync(caller, cloneId, new CloneInput(Pricing: pricing));
    }

    private static HttpClient Client(string url) => new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = new Uri(url),
        Timeout = TimeSpan.FromMinutes(2),
    };

    private static async Task<(WebApplication App, string Url)> StartAsync(string data, Dictionary<string, string?> settings)
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)l.LocalEndpoint).Port}";
        l.Stop();
        var app = LocalHost.Build(["--data", data, "--urls", url], b => b.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>(settings) { ["Logging:LogLevel:Default"] = "Warning", ["Local:Demo"] = "false", ["RateLimits:ChatMessagesPerMinute"] = "0", ["RateLimits:SessionsPerMinute"] = "0" }));
        await app.StartAsync();
        return (app, url);
    }

    /// <summary>The COVID-QA clone (created and ingested once per data folder) and one signed-in user per session.</summary>
    private static async Task<(string CloneId, string OwnerToken, List<string> UserTokens, Caller Owner)> PrepareAsync(WebApplication app, Options o)
    {
        var services = app.Services;
        var users = services.GetRequiredService<IUserStore>();
        var tokens = services.GetRequiredService<IAccessTokenIssuer>();
        var now = DateTimeOffset.UtcNow;
        async Task<User> UserAsync(string email, bool creator) => await users.FindByEmailAsync(email) ?? await users.CreateAsync(new User
        {
            Id = Guid.NewGuid().ToString("N"), Email = email, DisplayName = email.Split('@')[0], IsCreator = creator, EmailVerified = true, CreatedAt = now, UpdatedAt = now,
        });
        var creator = await UserAsync("bench-creator@cloneai.test", creator: true);
        var caller = new Caller(creator.Id, creator.Email, creator.DisplayName, false, true);
        var clones = services.GetRequiredService<ICloneStore>();
        var cloneService = services.GetRequiredService<CloneService>();
        var clone = await clones.GetBySlugAsync(Slug);
        if (clone is null)
        {
            clone = await cloneService.CreateAsync(caller, new CloneInput(Name: "COVID-QA bench", Slug: Slug, Category: "health", Tagline: "Bench clone",
                Description: "The COVID-QA papers.", Persona: new PersonaInput(Greeting: "Hi", Instructions: "Answer from the papers."), Pricing: new PricingInput(PerMinute: 10, Currency: "USD")));
            clone = await cloneService.PublishAsync(caller, clone.Id);
        }
        var knowledge = services.GetRequiredService<KnowledgeService>();
        var corpus = File.ReadLines(o.Corpus).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => new IncomingFile(e.GetProperty("id").GetString() + ".txt", Encoding.UTF8.GetBytes(e.GetProperty("text").GetString()!))).ToList();
        foreach (var batch in corpus.Chunk(20)) await knowledge.AddFilesAsync(clone, creator.Id, batch, []);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var stats = await knowledge.GetStatsAsync(clone.Id);
            if (stats.Stats.Ready + stats.Stats.Failed >= corpus.Count) break;
            if (clock.Elapsed.TotalSeconds > 900) throw new TimeoutException("Ingestion did not finish in 15 minutes.");
            await Task.Delay(1000);
        }
        Console.WriteLine($"clone {clone.Id}: {corpus.Count} papers ready ({clock.Elapsed.TotalSeconds:F0} s to wait for ingestion)");
        var userTokens = new List<string>();
        var ledger = services.GetRequiredService<ILedger>();
        for (var i = 0; i < o.Sessions; i++)
        {
            var user = await UserAsync($"bench-user-{i}@cloneai.test", false);
            // Sessions draw from the wallet: every bench user gets plenty (a test top-up straight into the ledger).
            await ledger.PostAsync(LedgerPostings.TopUp("bench-" + Guid.NewGuid().ToString("N"), user.Id, 1_000_000, "USD", DateTimeOffset.UtcNow));
            userTokens.Add(tokens.Issue(user).Token);
        }
        return (clone.Id, tokens.Issue(creator).Token, userTokens, caller);
    }

    /// <summary>Each session starts, then asks <see cref="Options.Rounds"/> questions over SSE; returns the times to the first delta.</summary>
    /// <remarks>
    /// The even users' sessions start first, then <paramref name="between"/> runs (it may change the clone's price), then the odd
    /// users'; the times come back split by those halves.
    /// </remarks>
    private static async Task<(List<double> Even, List<double> Odd)> ChatLoadAsync(
        Options o, HttpClient http, string cloneId, List<string> users, List<string> questions, Func<Task>? between = null)
    {
        var sessions = new string[users.Count];
        var evens = Enumerable.Range(0, users.Count).Where(i => i % 2 == 0).ToList();
        var odds = Enumerable.Range(0, users.Count).Where(i => i % 2 == 1).ToList();
        await Parallel.ForEachAsync(evens, new ParallelOptions { MaxDegreeOfParallelism = 16 }, Start);
        if (between is not null) await between();
        await Parallel.ForEachAsync(odds, new ParallelOptions { MaxDegreeOfParallelism = 16 }, Start);
        async ValueTask Start(int i, CancellationToken ct)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/clones/{cloneId}/sessions");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", users[i]);
            using var response = await http.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
            sessions[i] = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;
        }
        async Task<double> Ask(int i, int round, CancellationToken ct)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{sessions[i]}/messages")
            {
                Content = JsonContent.Create(new { content = questions[(i * o.Rounds + round) % questions.Count], clientMessageId = Guid.NewGuid().ToString("N") }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", users[i]);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            var t = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            double? first = null;
            var sawEnd = false;
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line.StartsWith("event: delta", StringComparison.Ordinal)) first ??= Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                if (line.StartsWith("event: end", StringComparison.Ordinal)) sawEnd = true;
                if (line.StartsWith("event: error", StringComparison.Ordinal)) throw new InvalidOperationException("The answer failed.");
            }
            if (first is null || !sawEnd) throw new InvalidOperationException("The stream had no delta or no end.");
            return first.Value;
        }
        // Warm-up (not timed): a new host loads the clone's vectors and keyword index on its first search, and JIT-compiles.
        for (var w = 0; w < 10; w++)
        {
            await Ask(0, o.Rounds + w, CancellationToken.None);
            await Ask(1, o.Rounds + w, CancellationToken.None);
        }
        var even = new List<double>();
        var odd = new List<double>();
        await RunLoadAsync(o, users.Count, async (i, round, ct) =>
        {
            var ms = await Ask(i, round, ct);
            var half = i % 2 == 0 ? even : odd;
            lock (half) half.Add(ms);
            return ms;
        });
        return (even, odd);
    }

    /// <summary>Runs <paramref name="workers"/> closed loops of <see cref="Options.Rounds"/> requests with random think time before each.</summary>
    private static async Task<List<double>> RunLoadAsync(Options o, int workers, Func<int, int, CancellationToken, Task<double>> request)
    {
        var results = new List<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async i =>
        {
            var random = new Random(i);
            for (var round = 0; round < o.Rounds; round++)
            {
                await Task.Delay(random.Next(o.ThinkMin, o.ThinkMax));
                var ms = await request(i, round, CancellationToken.None);
                lock (results) results.Add(ms);
            }
        }));
        Console.WriteLine($"  {results.Count} requests in {clock.Elapsed.TotalSeconds:F1} s ({results.Count / clock.Elapsed.TotalSeconds:F1}/s)");
        return results;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static string Line(string name, List<double> ms) =>
        $"{name,-30} n={ms.Count,4}  p50 {Percentile(ms, 50),7:F1}  p95 {Percentile(ms, 95),7:F1}  p99 {Percentile(ms, 99),7:F1}  max {ms.Max(),7:F1} ms";
}

/// <summary>
/// bench/ledger: session charges across many wallets against the local SqliteLedger (each one ledger transaction: the wallet's
/// leg, the creator's and the platform's, the balances, one SQLite transaction), against a baseline of plain single-row
/// inserts (one SQLite transaction each) in the same database, with the same concurrency.
/// </summary>
static class LedgerBench
{
    public static async Task<int> RunAsync(Options o)
    {
        var dir = Path.Combine(Path.GetTempPath(), "cloneai-bench-ledger-" + Guid.NewGuid().ToString("N"));
        try
        {
            var db = new CloneAI.Local.Sqlite.SqliteDatabase(Path.Combine(dir, "cloneai.db"), Microsoft.Extensions.Logging.Abstractions.NullLogger<CloneAI.Local.Sqlite.SqliteDatabase>.Instance);
            using var ledger = new CloneAI.Local.Billing.SqliteLedger(db);
            var billing = new BillingOptions();
            Console.WriteLine($"cores {Environment.ProcessorCount}; {o.Charges} charges across {o.Wallets} wallets, 16 concurrent posters; {dir}");
            var wallets = Enumerable.Range(0, o.Wallets).Select(i => $"bench-user-{i}").ToList();
            foreach (var w in wallets) await ledger.PostAsync(LedgerPostings.TopUp("bench-" + w, w, 100_000_000, "USD", DateTimeOffset.UtcNow));

            // Baseline: the same number of single-row inserts, one SQLite transaction each, serialised like the ledger's posts.
            await using (var connection = await db.OpenAsync())
            await using (var create = connection.CreateCommand())
            {
                create.CommandText = "CREATE TABLE bench_rows(k TEXT PRIMARY KEY, v INTEGER NOT NULL)";
                await create.ExecuteNonQueryAsync();
            }
            using var gate = new SemaphoreSlim(1, 1);
            var baseline = await TimeAsync(o.Charges, async i =>
            {
                await gate.WaitAsync();
                try
                {
                    await using var connection = await db.OpenAsync();
                    await using var tx = connection.BeginTransaction();
                    await using var insert = connection.CreateCommand();
                    insert.Transaction = tx;
                    insert.CommandText = "INSERT INTO bench_rows(k, v) VALUES ($k, $v)";
                    insert.Parameters.AddWithValue("$k", "row-" + i.ToString(CultureInfo.InvariantCulture));
                    insert.Parameters.AddWithValue("$v", i);
                    await insert.ExecuteNonQueryAsync();
                    await tx.CommitAsync();
                }
                finally
                {
                    gate.Release();
                }
            });

            var charges = await TimeAsync(o.Charges, async i =>
            {
                var usage = new CloneAI.Core.Chat.UsageEvent
                {
                    Id = $"bench-session-{i / 10}:message:{i}", SessionId = $"bench-session-{i / 10}", UserId = wallets[i % wallets.Count], CloneId = "bench-clone",
                    OwnerId = "bench-creator", Kind = CloneAI.Core.Chat.UsageKinds.Message, Quantity = 1, Amount = 7 + i % 50, Currency = "USD", CreatedAt = DateTimeOffset.UtcNow,
                };
                await ledger.PostAsync(UsageCharges.Charge(usage, billing, DateTimeOffset.UtcNow)!);
            });
            var check = await ledger.CheckAsync();
            var perSecond = o.Charges / charges;
            var basePerSecond = o.Charges / baseline;
            Console.WriteLine($"baseline: single-row inserts   {o.Charges,6} in {baseline,6:F2} s  {basePerSecond,8:F0}/s");
            Console.WriteLine($"charges (3 legs + balances)    {o.Charges,6} in {charges,6:F2} s  {perSecond,8:F0}/s  ({perSecond / basePerSecond:P0} of the baseline)");
            Console.WriteLine($"ledger check: balanced {check.Balanced}, {check.Transactions} transactions, {check.Accounts} accounts, negative wallets {check.NegativeWallets.Count}");
            var pass = perSecond >= 2000 && check.Balanced;
            Console.WriteLine($"target >= 2,000 charges/s across {o.Wallets} wallets: {perSecond,8:F0}/s  {(pass ? "PASS" : "FAIL")}");
            return o.Strict && !pass ? 3 : 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    /// <summary>Seconds to run <paramref name="count"/> operations with 16 concurrent workers.</summary>
    private static async Task<double> TimeAsync(int count, Func<int, Task> operation)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count) await operation(i);
        }));
        return clock.Elapsed.TotalSeconds;
    }
}
