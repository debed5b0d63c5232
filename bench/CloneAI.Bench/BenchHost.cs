using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CloneAI.Local.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CloneAI.Bench;

/// <summary>
/// The local host under test, on real Kestrel at http://127.0.0.1:&lt;free port&gt; with a fresh data folder. By default a
/// child process (<c>dotnet CloneAI.Local.dll</c>, as users run it: its own runtimeconfig, Server GC, and its CPU time
/// measurable apart from the load generator's); with <c>--in-process</c>, <see cref="LocalHost.Build"/> in this process.
/// </summary>
public abstract class BenchHost : IAsyncDisposable
{
    protected BenchHost(string dataDir, Uri baseAddress)
    {
        DataDir = dataDir;
        BaseAddress = baseAddress;
    }

    public string DataDir { get; }
    public Uri BaseAddress { get; }
    public abstract string Description { get; }

    /// <summary>CPU time the host has used so far; null when it shares this process.</summary>
    public abstract TimeSpan? CpuTime();

    public abstract ValueTask DisposeAsync();

    public static async Task<BenchHost> StartAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "cloneai-bench-" + Guid.NewGuid().ToString("N"));
        var webRoot = Path.Combine(dataDir, "web");
        Directory.CreateDirectory(webRoot);
        // A built web app is the normal install, so the static-file middleware runs in front of /api as it does for users.
        await File.WriteAllTextAsync(Path.Combine(webRoot, "index.html"), "<!doctype html><title>CloneAI bench</title><div id=root></div>", cancellationToken);
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        string[] args =
        [
            "--data", Path.Combine(dataDir, "data"),
            "--urls", baseAddress.ToString().TrimEnd('/'),
            $"--Local:WebRoot={webRoot}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft=Warning",
            // The seed publishes its 1,000 clones from one creator account: the per-user clone-creation throttle is off here.
            "--RateLimits:ClonesPerHour=0",
        ];

        BenchHost host = options.InProcess
            ? await InProcessHost.StartAsync(dataDir, baseAddress, args)
            : ChildProcessHost.Start(dataDir, baseAddress, args, options);
        try
        {
            await WaitUntilHealthyAsync(host, cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private static async Task WaitUntilHealthyAsync(BenchHost host, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        Exception? last = null;
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (host is ChildProcessHost { HasExited: true } child)
                throw new InvalidOperationException($"The host exited with code {child.ExitCode}:\n{child.OutputTail()}");
            try
            {
                using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode) return;
                last = new HttpRequestException($"/api/health answered {(int)response.StatusCode}");
            }
            catch (HttpRequestException e) { last = e; }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested) { last = e; }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"The host did not become healthy within 60 s at {host.BaseAddress}.", last);
    }

    protected void DeleteDataDir()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(DataDir)) Directory.Delete(DataDir, recursive: true);
                return;
            }
            catch (IOException) { Thread.Sleep(200); }
            catch (UnauthorizedAccessException) { Thread.Sleep(200); }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal sealed class ChildProcessHost : BenchHost
{
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly string _description;

    private ChildProcessHost(string dataDir, Uri baseAddress, Process process, string description) : base(dataDir, baseAddress)
    {
        _process = process;
        _description = description;
    }

    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public override string Description => _description;

    public static ChildProcessHost Start(string dataDir, Uri baseAddress, string[] args, BenchOptions options)
    {
        var dll = options.HostDll ?? FindHostDll();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in options.HostEnvironment) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var env = options.HostEnvironment.Count == 0 ? "" : " " + string.Join(' ', options.HostEnvironment.Select(kv => $"{kv.Key}={kv.Value}"));
        var host = new ChildProcessHost(dataDir, baseAddress, process, $"child process pid {process.Id}: dotnet {Path.GetRelativePath(Environment.CurrentDirectory, dll)}{env}");
        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    public override TimeSpan? CpuTime()
    {
        try { return _process.HasExited ? null : _process.TotalProcessorTime; }
        catch (InvalidOperationException) { return null; }
    }

    public string OutputTail()
    {
        lock (_tail) return string.Join('\n', _tail);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { }
        }
        _process.Dispose();
        DeleteDataDir();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 40) _tail.Dequeue();
        }
    }

    private static string FindHostDll()
    {
        const string relative = "functions/CloneAI.Local/bin/Release/net10.0/CloneAI.Local.dll";
        var root = BenchOptions.RepositoryRoot();
        var path = Path.Combine(root, relative);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the host first: dotnet build functions/CloneAI.Local -c Release ({path} is missing).");
    }
}

internal sealed class InProcessHost : BenchHost
{
    private readonly WebApplication _app;

    private InProcessHost(string dataDir, Uri baseAddress, WebApplication app) : base(dataDir, baseAddress) => _app = app;

    public override string Description => "in-process: LocalHost.Build in the load generator's process (shared CPU and GC)";

    public static async Task<InProcessHost> StartAsync(string dataDir, Uri baseAddress, string[] args)
    {
        var app = LocalHost.Build(args, builder => builder.Logging.ClearProviders());
        await app.StartAsync();
        return new InProcessHost(dataDir, baseAddress, app);
    }

    public override TimeSpan? CpuTime() => null;

    public override async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        DeleteDataDir();
    }
}
