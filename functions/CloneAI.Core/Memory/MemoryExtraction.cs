namespace CloneAI.Core.Memory;

/// <summary>
/// Something a user said about themselves that is worth remembering: its <see cref="MemoryKinds"/> kind and text, and whether
/// it is one of the few facts shared across the user's clones (name, role, preferred style). A <see cref="Deadline"/> ("by
/// April") said apart from any goal (empty <see cref="Text"/>) belongs to the user's newest goal with the clone.
/// </summary>
public sealed record MemoryCandidate(string Kind, string Text, bool Shared = false, string? Deadline = null);

/// <summary>Finds what is worth remembering in a user's own words (never in the clone's answers).</summary>
public interface IMemoryExtractor
{
    /// <summary>The candidates in <paramref name="userText"/>; null when this extractor could not tell (the caller falls back).</summary>
    Task<IReadOnlyList<MemoryCandidate>?> ExtractAsync(string userText, CancellationToken cancellationToken = default);
}
