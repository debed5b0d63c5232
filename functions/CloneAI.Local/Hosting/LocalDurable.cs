using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc;
using Microsoft.DurableTask.Worker.Grpc.Internal;
using Microsoft.Extensions.Options;
using DurableTask.Core;

namespace CloneAI.Local.Hosting;

/// <summary>
/// Runs the [OrchestrationTrigger] and [ActivityTrigger] functions of CloneAI.Functions on the in-process Durable Task backend.
/// That backend does not read [Function] attributes, so each method is registered here by reflection under its function name.
/// </summary>
public static class LocalDurable
{
    public static IServiceCollection AddLocalDurableFunctions(this IServiceCollection services, Assembly functionsAssembly)
    {
        var methods = functionsAssembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>()))
            .Where(x => x.Function is not null)
            .ToList();
        services.AddOptions<LocalDurableOptions>().BindConfiguration(LocalDurableOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // The backend's work-item limits are one per core, and its dispatchers poll every 500 ms once a limit is reached:
        // on 2 cores that ran two short activities per half second. The wider service lifts the limits.
        services.AddSingleton<InMemoryOrchestrationService>(sp => new WideInMemoryOrchestrationService(
            sp.GetRequiredService<IOptions<LocalDurableOptions>>().Value, sp.GetService<ILoggerFactory>()));
        services.AddSingleton<IOrchestrationService>(sp => sp.GetRequiredService<InMemoryOrchestrationService>());
        services.AddSingleton<IOrchestrationServiceClient>(sp => sp.GetRequiredService<InMemoryOrchestrationService>());

        // The worker and the client talk gRPC to the backend's sidecar, which runs in this process without a socket (it
        // starts before the worker: hosted services start in the order they are added).
        services.AddSingleton<InProcessSidecar>();
        services.AddHostedService(sp => sp.GetRequiredService<InProcessSidecar>());
        services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc();
            worker.Services.AddOptions<GrpcDurableTaskWorkerOptions>(worker.Name).Configure<InProcessSidecar>((o, sidecar) =>
            {
                o.Channel = sidecar.Channel;
                // An idle stream is not a lost one here: the in-process backend sends no health pings, so the worker's
                // silent-disconnect check would reconnect after every two quiet minutes, and after five of them warn that it
                // recreates the channel. There is no network in between to lose.
                o.SetSilentDisconnectTimeout(TimeSpan.Zero);
            });
            worker.AddTasks(registry =>
            {
                foreach (var (method, function) in methods)
                {
                    var parameters = method.GetParameters();
                    if (parameters.Any(p => p.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null))
                        registry.AddOrchestrator(function!.Name, () => new ReflectedOrchestrator(method));
                    else if (parameters.FirstOrDefault(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null) is { } input)
                        registry.AddActivity(function!.Name, sp => new ReflectedActivity(method, input, sp));
                }
            });
        });
        services.AddDurableTaskClient(client =>
        {
            client.UseGrpc();
            client.Services.AddOptions<GrpcDurableTaskClientOptions>(client.Name).Configure<InProcessSidecar>((o, sidecar) => o.Channel = sidecar.Channel);
            client.RegisterDirectly();
        });
        return services;
    }

    /// <summary>
    /// The in-memory backend with configurable work-item limits. Its limits are not virtual, so this class re-implements
    /// <see cref="IOrchestrationService"/>: the dispatchers read them through the interface and get these.
    /// </summary>
    internal sealed class WideInMemoryOrchestrationService(LocalDurableOptions options, ILoggerFactory? loggerFactory)
        : InMemoryOrchestrationService(loggerFactory), IOrchestrationService
    {
        public new int MaxConcurrentTaskOrchestrationWorkItems => options.MaxConcurrentOrchestrations;
        public new int MaxConcurrentTaskActivityWorkItems => options.MaxConcurrentActivities;
    }

    internal static async Task<object?> Await(object? returned)
    {
        if (returned is not Task task) return returned;
        await task;
        var type = task.GetType();
        return type.IsGenericType && type.GetGenericArguments()[0].Name != "VoidTaskResult" ? type.GetProperty("Result")!.GetValue(task) : null;
    }

    internal static object? Invoke(MethodInfo method, object? target, object?[] args)
    {
        try
        {
            return method.Invoke(target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    private sealed class ReflectedOrchestrator(MethodInfo method) : ITaskOrchestrator
    {
        public Type InputType => typeof(object);
        public Type OutputType => method.ReturnType.IsGenericType ? method.ReturnType.GetGenericArguments()[0] : typeof(object);

        public Task<object?> RunAsync(TaskOrchestrationContext context, object? input) =>
            Await(Invoke(method, null, [new InputConvertingContext(context, input)]));
    }

    private sealed class ReflectedActivity(MethodInfo method, ParameterInfo input, IServiceProvider services) : ITaskActivity
    {
        private readonly ObjectFactory? _factory = method.IsStatic ? null : ActivatorUtilities.CreateFactory(method.DeclaringType!, Type.EmptyTypes);

        public Type InputType => input.ParameterType;
        public Type OutputType => method.ReturnType.IsGenericType ? method.ReturnType.GetGenericArguments()[0] : typeof(object);

        public async Task<object?> RunAsync(TaskActivityContext context, object? value)
        {
            var target = _factory?.Invoke(services, null);
            var args = method.GetParameters().Select(p =>
                p == input ? value
                : p.ParameterType == typeof(CancellationToken) ? CancellationToken.None
                : p.ParameterType == typeof(TaskActivityContext) ? context
                : services.GetService(p.ParameterType)).ToArray();
            try
            {
                return await Await(Invoke(method, target, args));
            }
            finally
            {
                if (target is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
                else if (target is IDisposable disposable) disposable.Dispose();
            }
        }
    }

    /// <summary>
    /// Hands the orchestration to the function unchanged, except that <c>GetInput&lt;T&gt;()</c> converts the input, which the
    /// backend delivers as a <see cref="JsonElement"/>, the way the Functions worker would.
    /// </summary>
    private sealed class InputConvertingContext(TaskOrchestrationContext inner, object? input) : TaskOrchestrationContext
    {
        public override TaskName Name => inner.Name;
        public override string InstanceId => inner.InstanceId;
        public override ParentOrchestrationInstance? Parent => inner.Parent;
        public override DateTime CurrentUtcDateTime => inner.CurrentUtcDateTime;
        public override bool IsReplaying => inner.IsReplaying;
        public override TaskOrchestrationEntityFeature Entities => inner.Entities;
        protected override ILoggerFactory LoggerFactory => throw new NotSupportedException("Use CreateReplaySafeLogger.");

        public override T GetInput<T>() => input switch
        {
            null => default!,
            T typed => typed,
            JsonElement json => json.Deserialize<T>()!,
            _ => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(input))!,
        };

        public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null) =>
            inner.CallActivityAsync<TResult>(name, input, options);

        public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) => inner.CreateTimer(fireAt, cancellationToken);

        public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default) =>
            inner.WaitForExternalEvent<T>(eventName, cancellationToken);

        public override void SendEvent(string instanceId, string eventName, object payload) => inner.SendEvent(instanceId, eventName, payload);

        public override void SetCustomStatus(object? customStatus) => inner.SetCustomStatus(customStatus);

        public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null) =>
            inner.CallSubOrchestratorAsync<TResult>(orchestratorName, input, options);

        public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) =>
            inner.ContinueAsNew(newInput, preserveUnprocessedEvents);

        public override Guid NewGuid() => inner.NewGuid();

        public override ILogger CreateReplaySafeLogger(string categoryName) => inner.CreateReplaySafeLogger(categoryName);

        public override ILogger CreateReplaySafeLogger(Type type) => inner.CreateReplaySafeLogger(type);

        public override ILogger CreateReplaySafeLogger<T>() => inner.CreateReplaySafeLogger<T>();
    }
}
