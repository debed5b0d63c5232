using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure.Identity;
using CloneAI.Azure.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CloneAI.Azure.Tests.Functions;

/// <summary>
/// OpenTelemetry to Application Insights, composed as the Functions host composes it, exporting to a loopback stand-in for
/// the ingestion endpoint (the connection string's IngestionEndpoint), which records what the exporter posts.
/// </summary>
public sealed class TelemetryTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void WithoutAConnectionStringNothingIsRegisteredAndNothingIsSent()
    {
        var services = new ServiceCollection();
        Assert.Null(services.AddCloneAITelemetry(Config()));
        using var provider = services.BuildServiceProvider();
        Assert.Null(provider.GetService<TracerProvider>());
        Assert.Null(provider.GetService<MeterProvider>());
    }

    [Fact]
    public void TheAuthenticationStringTheBicepSetsSignsInWithThatManagedIdentity()
    {
        Assert.IsType<ManagedIdentityCredential>(TelemetryRegistration.Credential("ClientId=3f1c0f2e-0000-4000-8000-000000000001;Authorization=AAD"));
        Assert.IsType<ManagedIdentityCredential>(TelemetryRegistration.Credential("Authorization=AAD"));
        Assert.Null(TelemetryRegistration.Credential(null));
        Assert.Null(TelemetryRegistration.Credential("ClientId=abc"));

        var bicep = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "app", "function-app.bicep"));
        Assert.Contains($"{TelemetryRegistration.AuthenticationStringSetting}: 'ClientId=${{identityClientId}};Authorization=AAD'", bicep);
        Assert.Contains($"{TelemetryRegistration.ConnectionStringSetting}: applicationInsightsConnectionString", bicep);
    }

    [Fact]
    public void TheHostRunsTheFunctionsHostTelemetryInOpenTelemetryMode()
    {
        var hostJson = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "host.json"));
        Assert.Contains("\"telemetryMode\": \"OpenTelemetry\"", hostJson);
        var program = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "functions", "CloneAI.Functions.Host", "Program.cs"));
        Assert.Contains("AddCloneAITelemetry(builder.Configuration)?.UseFunctionsWorkerDefaults()", program);
    }

    [Fact]
    public async Task TracesMetricsAndLogsOfTheAppReachTheIngestionEndpoint()
    {
        var port = FreePort();
        var received = new ConcurrentQueue<string>();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var paths = new ConcurrentBag<string>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                HttpListenerContext c;
                try { c = await listener.GetContextAsync(); } catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                paths.Add(c.Request.Url!.AbsolutePath);
                Stream body = c.Request.InputStream;
                if (string.Equals(c.Request.Headers["Content-Encoding"], "gzip", StringComparison.OrdinalIgnoreCase)) body = new GZipStream(body, CompressionMode.Decompress);
                using (var reader = new StreamReader(body, Encoding.UTF8)) received.Enqueue(await reader.ReadToEndAsync());
                var reply = Encoding.UTF8.GetBytes("{\"itemsReceived\":1,\"itemsAccepted\":1,\"errors\":[]}");
                c.Response.ContentType = "application/json";
                await c.Response.OutputStream.WriteAsync(reply);
                c.Response.Close();
            }
        });

        var probe = Guid.NewGuid().ToString("N");
        // Nor the exporter's own usage telemetry, which goes to a Microsoft endpoint.
        Environment.SetEnvironmentVariable("APPLICATIONINSIGHTS_STATSBEAT_DISABLED", "true");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddCloneAITelemetry(
            Config((TelemetryRegistration.ConnectionStringSetting, $"InstrumentationKey=00000000-0000-4000-8000-000000000001;IngestionEndpoint=http://127.0.0.1:{port}/")),
            o =>
            {
                o.DisableOfflineStorage = true;
                // Only loopback: no live metrics stream (its endpoint is Microsoft's).
                o.EnableLiveMetrics = false;
                // Every span: the default rate-limited sampler would share its budget with the HTTP spans of tests running alongside.
                o.TracesPerSecond = null;
                o.SamplingRatio = 1.0F;
            });
        using (var host = builder.Build())
        {
            await host.StartAsync();
            using (var activity = Core.Telemetry.Source.StartActivity("chat.answer"))
            {
                Assert.NotNull(activity); // the exporter listens to the app's source
                activity.SetTag("cloneai.session_id", probe);
            }
            Core.Telemetry.Answers.Add(1, new KeyValuePair<string, object?>("kind", "extractive"));
            host.Services.GetRequiredService<ILogger<TelemetryTests>>().LogWarning("Telemetry probe {Probe}", probe);
            host.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000);
            host.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000);
            await host.StopAsync();
        } // disposing the providers flushes the logs

        var all = string.Join("\n", received);
        Assert.Contains("/v2.1/track", paths);
        Assert.Contains("\"name\":\"chat.answer\"", all);
        Assert.Contains($"\"cloneai.session_id\":\"{probe}\"", all);
        Assert.Contains($"Telemetry probe {probe}", all);
        Assert.Contains("cloneai.chat.answers", all);
        Assert.Contains("cloneai-api", all); // the service name is the role name
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
