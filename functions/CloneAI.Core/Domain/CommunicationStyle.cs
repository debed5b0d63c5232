namespace CloneAI.Core.Domain;

/// <summary>
/// How a user likes to be answered: concise or detailed, casual or formal. Either part may be unset (null: no preference).
/// Set in the profile, or overridden per clone.
/// </summary>
public sealed record CommunicationStyle
{
    public const string Concise = "concise";
    public const string Detailed = "detailed";
    public const string Casual = "casual";
    public const string Formal = "formal";
    public static readonly IReadOnlyList<string> Lengths = [Concise, Detailed];
    public static readonly IReadOnlyList<string> Tones = [Casual, Formal];

    /// <summary><see cref="Concise"/>, <see cref="Detailed"/> or null.</summary>
    public string? Length { get; init; }
    /// <summary><see cref="Casual"/>, <see cref="Formal"/> or null.</summary>
    public string? Tone { get; init; }
}
