namespace CloneAI.Core.Progress;

/// <summary>
/// A user's tick (or untick) of one checklist item with a clone. Items themselves are not stored: they are read from memory
/// (goals) and summaries (action items) each time, and a tick is matched to its item by <see cref="ItemId"/>.
/// Partition key in Cosmos: <c>/userId</c>.
/// </summary>
public sealed record ProgressTick
{
    public required string UserId { get; init; }
    public required string CloneId { get; init; }
    /// <summary>The <see cref="ProgressItem.Id"/> it ticks.</summary>
    public required string ItemId { get; init; }
    public bool Done { get; init; }
    public DateTimeOffset? DoneAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Users' ticks, kept per user (every method takes the user's id).</summary>
public interface IProgressTickStore
{
    /// <summary>The user's ticks with the clone.</summary>
    Task<IReadOnlyList<ProgressTick>> ListAsync(string userId, string cloneId, CancellationToken cancellationToken = default);
    /// <summary>Creates or replaces the tick of the user's item with the clone.</summary>
    Task<ProgressTick> UpsertAsync(ProgressTick tick, CancellationToken cancellationToken = default);
}
