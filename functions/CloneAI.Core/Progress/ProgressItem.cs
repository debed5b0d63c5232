namespace CloneAI.Core.Progress;

/// <summary>Where a checklist item came from.</summary>
public static class ProgressOrigins
{
    /// <summary>A goal in the user's memory.</summary>
    public const string Goal = "goal";
    /// <summary>An action item of a session's summary.</summary>
    public const string ActionItem = "action-item";
}

/// <summary>
/// One item of a user's checklist with a clone: a goal from memory or an action item from a session summary, ticked or not.
/// </summary>
public sealed record ProgressItem
{
    /// <summary>Stable across reads: <c>goal:{memoryId}</c> or <c>action:{sessionId}:{index}</c>.</summary>
    public required string Id { get; init; }
    public required string CloneId { get; init; }
    public required string Origin { get; init; }
    public required string Text { get; init; }
    public string? SessionId { get; init; }
    public bool Done { get; init; }
    public DateTimeOffset? DoneAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A user's open (unticked) checklist items with a clone, oldest first: what the next greeting mentions.</summary>
public interface IProgressReader
{
    Task<IReadOnlyList<ProgressItem>> OpenItemsAsync(string userId, string cloneId, CancellationToken cancellationToken = default);
}
