using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace CloneAI.Bench;

public sealed record PhaseResult(
    string Route,
    int Connections,
    double Seconds,
    long Requests,
    long Errors,
    double RequestsPerSecond,
    double MeanMs,
    double P50Ms,
    double P90Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs,
    double BytesPerResponse,
    double? HostCpuCores,
    double? HostCpuMicrosPerRequest,
    double ClientCpuCores,
    double? MachineBusyCores,
    double? OtherProcessesCores,
    string? FirstError);

/// <summary>
/// A closed-loop load generator: <c>connections</c> workers, each with one request in flight on its own pooled HTTP/1.1
/// connection, for a fixed time. Latency is taken from just before SendAsync to the last byte of the body.
/// </summary>
public sealed class LoadGenerator : IDisposable
{
    private readonly HttpClient _client;
    private readonly int _connections;

    public LoadGenerator(Uri baseAddress, int connections)
    {
        _connections = connections;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        _client = new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public HttpClient Client => _client;

    public async Task<PhaseResult> RunAsync(string route, TimeSpan duration, Func<TimeSpan?> hostCpu, CancellationToken cancellationToken)
    {
        var uri = new Uri(route, UriKind.Relative);
        var histograms = new LatencyHistogram[_connections];
        var bytes = new long[_connections];
        var errors = new long[_connections];
        string? firstError = null;
        using var hardStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        hardStop.CancelAfter(duration + TimeSpan.FromSeconds(15));

        var hostCpuStart = hostCpu();
        var clientCpuStart = ClientCpu();
        var machineStart = MachineCpu.BusySeconds();
        var start = Stopwatch.GetTimestamp();
        var stopAt = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        var workers = new Task[_connections];
        for (var w = 0; w < _connections; w++)
        {
            var worker = w;
            workers[w] = Task.Run(async () =>
            {
                var histogram = histograms[worker] = new LatencyHistogram();
                var buffer = new byte[64 * 1024];
                while (Stopwatch.GetTimestamp() < stopAt && !hardStop.IsCancellationRequested)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, hardStop.Token);
                        await using var body = await response.Content.ReadAsStreamAsync(hardStop.Token);
                        long read = 0;
                        int n;
                        while ((n = await body.ReadAsync(buffer, hardStop.Token)) > 0) read += n;
                        var elapsed = Stopwatch.GetElapsedTime(t0);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            histogram.Record((long)(elapsed.Ticks / (TimeSpan.TicksPerMillisecond / 1000)));
                            bytes[worker] += read;
                        }
                        else
                        {
                            errors[worker]++;
                            Interlocked.CompareExchange(ref firstError, $"HTTP {(int)response.StatusCode}", null);
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
                    {
                        if (hardStop.IsCancellationRequested && cancellationToken.IsCancellationRequested) throw;
                        errors[worker]++;
                        Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message}", null);
                    }
                }
            }, cancellationToken);
        }
        await Task.WhenAll(workers);

        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var hostCpuEnd = hostCpu();
        var clientCpuEnd = ClientCpu();
        var machineEnd = MachineCpu.BusySeconds();
        var all = new LatencyHistogram();
        foreach (var h in histograms) all.Add(h);
        var ok = all.Count;
        var hostCores = hostCpuStart is { } hs0 && hostCpuEnd is { } he0 ? (he0 - hs0).TotalSeconds / seconds : 0;
        double? machine = machineStart is { } ms && machineEnd is { } me ? Math.Round((me - ms) / seconds, 2) : null;
        double? other = machine is { } m ? Math.Round(Math.Max(0, m - hostCores - (clientCpuEnd - clientCpuStart).TotalSeconds / seconds), 2) : null;
        return new PhaseResult(
            route, _connections, Math.Round(seconds, 3), ok, errors.Sum(), Math.Round(ok / seconds, 1),
            Ms(all.MeanMicros), Ms(all.Percentile(50)), Ms(all.Percentile(90)), Ms(all.Percentile(95)), Ms(all.Percentile(99)), Ms(all.MaxMicros),
            ok == 0 ? 0 : Math.Round((double)bytes.Sum() / ok, 0),
            hostCpuStart is { } hs && hostCpuEnd is { } he ? Math.Round((he - hs).TotalSeconds / seconds, 2) : null,
            hostCpuStart is { } hs1 && hostCpuEnd is { } he1 && ok > 0 ? Math.Round((he1 - hs1).TotalMicroseconds / ok, 1) : null,
            Math.Round((clientCpuEnd - clientCpuStart).TotalSeconds / seconds, 2),
            machine, other,
            firstError);
    }

    public void Dispose() => _client.Dispose();

    private static TimeSpan ClientCpu() => Environment.CpuUsage.TotalTime;

    /// <summary>Busy CPU time of the whole machine from /proc/stat, to show what other processes took during a phase.</summary>
    private static class MachineCpu
    {
        public static double? BusySeconds()
        {
            try
            {
                if (!File.Exists("/proc/stat")) return null;
                using var reader = new StreamReader("/proc/stat");
                var fields = reader.ReadLine()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields is null || fields[0] != "cpu" || fields.Length < 8) return null;
                // user nice system idle iowait irq softirq steal: busy = all but idle and iowait; USER_HZ is 100 on Linux.
                long busy = 0;
                for (var i = 1; i < Math.Min(fields.Length, 9); i++)
                    if (i is not 4 and not 5) busy += long.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture);
                return busy / 100.0;
            }
            catch (IOException) { return null; }
            catch (FormatException) { return null; }
        }
    }

    private static double Ms(double micros) => Math.Round(micros / 1000.0, 2);
}
