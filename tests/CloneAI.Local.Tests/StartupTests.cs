using System.Collections.Concurrent;
using System.Globalization;
using CloneAI.Local.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloneAI.Local.Tests;

/// <summary>What a person sees when the host starts: one listener, one "Application started", and no idle Durable noise.</summary>
[Collection(StartupCollection.Name)]
public sealed class StartupTests
{
    [Fact]
    public async Task TheHostListensOnlyOnItsConfiguredAddressAndStartsOnce()
    {
        var logs = new CapturedLogs();
        var data = Path.Combine(Path.GetTempPath(), "cloneai-startup-" + Guid.NewGuid().ToString("N"));
        var port = LocalHostFixture.FreePort();
        var url = $"http://127.0.0.1:{port}";
        var before = OwnListeningPorts();
        var app = LocalHost.Build(["--data", data, "--urls", url], b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
            });
            b.Logging.AddProvider(logs);
        });
        try
        {
            await app.StartAsync();
            var opened = OwnListeningPorts().Except(before).ToList();
            Assert.Equal([port], opened);

            var lifetime = logs.Entries.Where(e => e.Category == "Microsoft.Hosting.Lifetime").Select(e => e.Message).ToList();
            Assert.Single(lifetime, m => m.StartsWith("Application started", StringComparison.Ordinal));
            Assert.Equal([$"Now listening on: {url}"], lifetime.Where(m => m.StartsWith("Now listening on", StringComparison.Ordinal)));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task TheIdleChannelWarningOfTheDurableWorkerIsDroppedAndItsOtherWarningsAreNot()
    {
        var logs = new CapturedLogs();
        await using var host = await OwnHost.StartAsync(services: s => s.AddLogging(l => l.AddProvider(logs)));
        var factory = host.Services.GetRequiredService<ILoggerFactory>();
        var idle = new EventId(IdleChannelLogFilter.EventId, IdleChannelLogFilter.EventName);

        // As the worker logs it, under both of its categories.
        factory.CreateLogger("Microsoft.DurableTask.Worker.Grpc").Log(LogLevel.Warning, idle, "Channel to backend has stopped receiving traffic, will attempt to reconnect.");
        factory.CreateLogger("Microsoft.DurableTask").Log(LogLevel.Warning, idle, "Channel to backend has stopped receiving traffic, will attempt to reconnect.");
        // Real trouble in the same categories, and the same event id elsewhere, still show.
        factory.CreateLogger("Microsoft.DurableTask.Worker.Grpc").Log(LogLevel.Warning, new EventId(57, "OrchestrationVersionFailure"), "version failure");
        factory.CreateLogger("Microsoft.DurableTask").LogError(new EventId(1), "backend failed");
        factory.CreateLogger("CloneAI.Elsewhere").Log(LogLevel.Warning, idle, "not Durable's");

        var durable = logs.Entries.Where(e => e.Category.StartsWith("Microsoft.DurableTask", StringComparison.Ordinal) || e.Category == "CloneAI.Elsewhere").ToList();
        Assert.DoesNotContain(durable, e => e.Message.StartsWith("Channel to backend", StringComparison.Ordinal));
        Assert.Contains(durable, e => e.Message == "version failure" && e.Level == LogLevel.Warning);
        Assert.Contains(durable, e => e.Message == "backend failed" && e.Level == LogLevel.Error);
        Assert.Contains(durable, e => e.Message == "not Durable's");
    }

    [Fact]
    public async Task TheBannerSaysTheExtractiveResponderAnswersAndHowToUseALocalModel()
    {
        var output = await BannerAsync([]);

        Assert.Contains("CloneAI is running at", output, StringComparison.Ordinal);
        Assert.Contains("Answers: extractive", output, StringComparison.Ordinal);
        Assert.Contains("Chat__Provider=openai Chat__Endpoint=http://127.0.0.1:11434/v1 Chat__Model=", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheBannerNamesTheModelAndItsEndpoint()
    {
        var output = await BannerAsync(["--Chat:Provider=openai", "--Chat:Endpoint=http://127.0.0.1:9/v1", "--Chat:Model=llama3.2"]);

        Assert.Contains("Answers: model 'llama3.2' at http://127.0.0.1:9/v1", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Chat__Provider=openai", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALocalEndpointWithoutAModelFailsAtStartUpSayingWhatToSet()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => BannerAsync(["--Chat:Provider=openai", "--Chat:Endpoint=http://127.0.0.1:9/v1"]));
        Assert.Contains("Chat__Model", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Starts the host with extra command-line settings and returns what it wrote to the console while starting.</summary>
    private static async Task<string> BannerAsync(string[] extra)
    {
        var data = Path.Combine(Path.GetTempPath(), "cloneai-banner-" + Guid.NewGuid().ToString("N"));
        var url = $"http://127.0.0.1:{LocalHostFixture.FreePort()}";
        var original = Console.Out;
        var captured = new StringWriter(CultureInfo.InvariantCulture);
        WebApplication? app = null;
        Console.SetOut(captured);
        try
        {
            app = LocalHost.Build(["--data", data, "--urls", url, "--Local:Demo=false", .. extra], b =>
                b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" }));
            await app.StartAsync();
            return captured.ToString();
        }
        finally
        {
            Console.SetOut(original);
            if (app is not null)
            {
                try { await app.StopAsync(); } catch (InvalidOperationException) { }
                await app.DisposeAsync();
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, true); } catch (IOException) { }
        }
    }

    /// <summary>The TCP ports this process listens on (Linux: its socket inodes in /proc/net/tcp and tcp6).</summary>
    private static HashSet<int> OwnListeningPorts()
    {
        var inodes = Directory.GetFiles("/proc/self/fd")
            .Select(fd => { try { return new FileInfo(fd).LinkTarget; } catch (IOException) { return null; } })
            .Where(t => t is not null && t.StartsWith("socket:[", StringComparison.Ordinal))
            .Select(t => t!["socket:[".Length..^1])
            .ToHashSet();
        var ports = new HashSet<int>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields[3] == "0A" && inodes.Contains(fields[9]))
                    ports.Add(int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }
        return ports;
    }
}

/// <summary>Runs alone, so that the listeners a test sees opening are its host's.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StartupCollection
{
    public const string Name = "startup";
}

public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, EventId EventId, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((category, logLevel, eventId, formatter(state, exception)));
    }
}
