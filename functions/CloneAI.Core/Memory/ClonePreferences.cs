using CloneAI.Core.Domain;

namespace CloneAI.Core.Memory;

/// <summary>
/// A user's settings for one clone: whether the clone remembers them (memory on by default), and a communication style that
/// overrides the profile's for this clone (null: the profile's). Partition key in Cosmos: <c>/userId</c>.
/// </summary>
public sealed record ClonePreferences
{
    public required string UserId { get; init; }
    public required string CloneId { get; init; }
    public bool MemoryEnabled { get; init; } = true;
    public CommunicationStyle? Style { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Users' per-clone settings.</summary>
public interface IClonePreferenceStore
{
    /// <summary>The user's settings for the clone, or null when they never changed them (memory on, the profile's style).</summary>
    Task<ClonePreferences?> GetAsync(string userId, string cloneId, CancellationToken cancellationToken = default);
    Task<ClonePreferences> UpsertAsync(ClonePreferences preferences, CancellationToken cancellationToken = default);
}
