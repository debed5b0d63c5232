namespace CloneAI.Core.Memory;

/// <summary>What a remembered item is about.</summary>
public static class MemoryKinds
{
    public const string Preference = "preference";
    public const string Goal = "goal";
    public const string Fact = "fact";
    public static readonly IReadOnlyList<string> All = [Preference, Goal, Fact];
}

/// <summary>The message a memory item was taken from (none for an item the user wrote on the Memory page).</summary>
public sealed record MemorySource(string SessionId, string MessageId);

/// <summary>
/// One thing a clone remembers about its user: a preference, a goal or a fact, in the user's own words. It belongs to one
/// user, and to one clone, or (<see cref="CloneId"/> null) to all of the user's clones: the few shared facts (name, role,
/// preferred style) the user controls. Creators never see memory items; only their user reads, edits or deletes them.
/// Partition key in Cosmos: <c>/userId</c>.
/// </summary>
public sealed record MemoryItem
{
    public const int MaxText = 500;

    public required string Id { get; init; }
    public required string UserId { get; init; }
    /// <summary>The clone it belongs to; null for a fact shared across the user's clones.</summary>
    public string? CloneId { get; init; }
    public required string Kind { get; init; }
    public required string Text { get; init; }
    public MemorySource? Source { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public string? ETag { get; init; }
}
