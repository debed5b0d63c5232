namespace CloneAI.Local.Hosting;

/// <summary>
/// Drops one Durable Task message: "Channel to backend has stopped receiving traffic, will attempt to reconnect." (event 56,
/// <c>ConnectionTimeout</c>). The worker logs it, and reconnects, whenever its work-item stream has carried nothing for two
/// minutes; a remote backend sends health pings to prevent that, the in-process one sends none, so on an idle local host it
/// is noise every two minutes. Every other Durable Task message, warnings and errors included, passes unchanged.
/// (<see cref="LocalDurable"/> also turns that check off for the in-process backend; this filter keeps the message out should
/// a package update bring it back, since the switch is one of the worker's internal options.)
/// </summary>
internal sealed class IdleChannelLogFilter(ILoggerFactory inner) : ILoggerFactory
{
    public const int EventId = 56;
    public const string EventName = "ConnectionTimeout";
    private const string DurableCategory = "Microsoft.DurableTask";

    public static bool IsIdleChannelMessage(string category, EventId eventId) =>
        eventId.Id == EventId && eventId.Name == EventName &&
        (category == DurableCategory || category.StartsWith(DurableCategory + ".", StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return categoryName.StartsWith(DurableCategory, StringComparison.Ordinal) ? new Filtered(logger, categoryName) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class Filtered(ILogger inner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsIdleChannelMessage(category, eventId)) inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
