using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;

namespace CloneAI.Local.Hosting;

/// <summary>
/// The gRPC sidecar of the in-process Durable Task backend, served in memory. The package's own sidecar is a second web host
/// on a random <c>localhost</c> port, with its own console lifetime (a second "Application started", and a second Ctrl+C
/// handler); this one has no socket and no lifetime of its own: the worker and the client reach it through
/// <see cref="Channel"/>, and the local host starts and stops it.
/// </summary>
public sealed class InProcessSidecar : IHostedService, IAsyncDisposable
{
    private readonly IOrchestrationService _backend;
    private readonly IOrchestrationServiceClient _backendClient;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TaskCompletionSource<HttpMessageInvoker> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IHost? _host;

    public InProcessSidecar(IOrchestrationService backend, IOrchestrationServiceClient backendClient, ILoggerFactory loggerFactory)
    {
        _backend = backend;
        _backendClient = backendClient;
        _loggerFactory = loggerFactory;
        // The address only names the sidecar in gRPC's logs; requests go to the in-memory server.
        Channel = GrpcChannel.ForAddress("http://durable-sidecar.in-process", new GrpcChannelOptions
        {
            HttpHandler = new ToSidecar(_started.Task),
            LoggerFactory = loggerFactory,
        });
    }

    /// <summary>The channel the Durable worker and client use.</summary>
    public GrpcChannel Channel { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddSingleton(_loggerFactory);
                services.AddSingleton<IHostLifetime, NoLifetime>();
            })
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(services =>
                {
                    services.AddGrpc();
                    services.AddSingleton(_backend);
                    services.AddSingleton(_backendClient);
                    services.AddSingleton<TaskHubGrpcServer>();
                })
                .Configure(app => app.UseRouting().UseEndpoints(e => e.MapGrpcService<TaskHubGrpcServer>())))
            .Build();
        await _host.StartAsync(cancellationToken);
        _started.TrySetResult(new HttpMessageInvoker(_host.GetTestServer().CreateHandler()));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_host is not null) await _host.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _started.TrySetCanceled();
        Channel.Dispose();
        if (_host is not null)
        {
            if (_host is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
            else _host.Dispose();
        }
    }

    /// <summary>Sends each call to the in-memory server, once it has started (a call made before waits for it).</summary>
    private sealed class ToSidecar(Task<HttpMessageInvoker> server) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            await (await server.WaitAsync(cancellationToken)).SendAsync(request, cancellationToken);
    }

    /// <summary>The local host's lifetime governs the sidecar: no console messages, no signal handlers.</summary>
    private sealed class NoLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
