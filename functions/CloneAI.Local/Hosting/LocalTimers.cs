using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace CloneAI.Local.Hosting;

/// <summary>
/// Runs the [TimerTrigger] functions of CloneAI.Functions in the local host. Only minute schedules of the form
/// <c>0 */N * * * *</c> (every N minutes) are understood; any other schedule stops the host at start, rather than silently not running.
/// </summary>
public sealed class LocalTimers(IServiceProvider services, ILogger<LocalTimers> logger) : BackgroundService
{
    public static IReadOnlyList<(MethodInfo Method, TimeSpan Every)> Find(Assembly assembly) =>
        assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .Select(m => (Method: m, Timer: m.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(x => x.Timer is not null)
            .Select(x => (x.Method, Every(x.Timer!.Schedule)))
            .ToList();

    public static TimeSpan Every(string schedule)
    {
        var parts = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts is ["0", var minutes, "*", "*", "*", "*"])
        {
            if (minutes == "*") return TimeSpan.FromMinutes(1);
            if (minutes.StartsWith("*/", StringComparison.Ordinal) && int.TryParse(minutes[2..], out var n) && n > 0) return TimeSpan.FromMinutes(n);
        }
        throw new NotSupportedException($"The local host runs timer schedules of the form '0 */N * * * *' only, not '{schedule}'.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timers = Find(typeof(CloneAI.Functions.DependencyInjection).Assembly);
        await Task.WhenAll(timers.Select(t => RunAsync(t.Method, t.Every, stoppingToken)));
    }

    private async Task RunAsync(MethodInfo method, TimeSpan every, CancellationToken stoppingToken)
    {
        using var ticks = new PeriodicTimer(every);
        while (await ticks.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var target = ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
                var args = method.GetParameters().Select(p =>
                    p.ParameterType == typeof(TimerInfo) ? new TimerInfo()
                    : p.ParameterType == typeof(CancellationToken) ? (object)stoppingToken
                    : p.ParameterType == typeof(Microsoft.DurableTask.Client.DurableTaskClient) ? services.GetRequiredService<Microsoft.DurableTask.Client.DurableTaskClient>()
                    : null).ToArray();
                if (method.Invoke(target, args) is Task task) await task;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Timer function {Function} failed", method.Name);
            }
        }
    }
}
