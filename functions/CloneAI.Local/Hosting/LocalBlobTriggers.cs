using System.Reflection;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using CloneAI.Local.Blobs;

namespace CloneAI.Local.Hosting;

/// <summary>
/// Fires the [BlobTrigger] functions of CloneAI.Functions when the local blob store writes a matching path, binding the path's
/// parameters, the content and a Durable client as the Functions host would. Calls run in the background, like a trigger.
/// </summary>
public sealed class LocalBlobTriggers : IHostedService
{
    private readonly IServiceProvider _services;
    private readonly FileBlobStore _blobs;
    private readonly ILogger<LocalBlobTriggers> _logger;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly List<(MethodInfo Method, TemplateMatcher Matcher, ObjectFactory Factory)> _triggers;
    private readonly List<Task> _running = [];

    public LocalBlobTriggers(IServiceProvider services, FileBlobStore blobs, IHostApplicationLifetime lifetime, ILogger<LocalBlobTriggers> logger)
    {
        _services = services;
        _blobs = blobs;
        _lifetime = lifetime;
        _logger = logger;
        _triggers = typeof(CloneAI.Functions.DependencyInjection).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Select(m => (Method: m, Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<BlobTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(x => x.Trigger is not null && x.Method.GetCustomAttribute<FunctionAttribute>() is not null)
            .Select(x =>
            {
                // The trigger path is "{container}/{blob path}"; the local store has no containers.
                var blobPath = x.Trigger!.BlobPath.Split('/', 2)[1];
                return (x.Method, new TemplateMatcher(TemplateParser.Parse(blobPath), new RouteValueDictionary()),
                    ActivatorUtilities.CreateFactory(x.Method.DeclaringType!, Type.EmptyTypes));
            })
            .ToList();
    }

    public IReadOnlyList<string> Functions => _triggers.Select(t => t.Method.GetCustomAttribute<FunctionAttribute>()!.Name).ToList();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _blobs.Written += OnWritten;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _blobs.Written -= OnWritten;
        Task[] running;
        lock (_running) running = [.. _running];
        await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void OnWritten(string path, byte[] data)
    {
        foreach (var (method, matcher, factory) in _triggers)
        {
            var values = new RouteValueDictionary();
            if (!matcher.TryMatch("/" + path, values)) continue;
            var task = Task.Run(() => InvokeAsync(method, factory, values, data));
            lock (_running)
            {
                _running.RemoveAll(t => t.IsCompleted);
                _running.Add(task);
            }
        }
    }

    private async Task InvokeAsync(MethodInfo method, ObjectFactory factory, RouteValueDictionary values, byte[] data)
    {
        try
        {
            var target = factory(_services, null);
            var args = method.GetParameters().Select(p => Bind(p, values, data)).ToArray();
            await LocalDurable.Await(LocalDurable.Invoke(method, target, args));
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Blob trigger {Function} failed", method.Name);
        }
    }

    private object? Bind(ParameterInfo parameter, RouteValueDictionary values, byte[] data)
    {
        if (parameter.GetCustomAttribute<BlobTriggerAttribute>() is not null)
        {
            return parameter.ParameterType == typeof(byte[]) ? data
                : parameter.ParameterType == typeof(Stream) ? new MemoryStream(data, writable: false)
                : throw new InvalidOperationException($"The local host cannot bind a blob to {parameter.ParameterType.Name}.");
        }
        if (parameter.ParameterType == typeof(DurableTaskClient)) return _services.GetRequiredService<DurableTaskClient>();
        if (parameter.ParameterType == typeof(CancellationToken)) return _lifetime.ApplicationStopping;
        if (values.TryGetValue(parameter.Name!, out var value)) return value?.ToString();
        throw new InvalidOperationException($"The local host cannot bind '{parameter.Name}' of a blob trigger.");
    }
}
