using System.ComponentModel;
using CloneAI.Core.Domain;

namespace CloneAI.Functions.Api.Profile;

/// <summary>A change of profile; absent fields stay as they are.</summary>
public sealed record UpdateProfileRequest(
    string? DisplayName, string? Bio, IReadOnlyList<string>? Expertise, string? Timezone,
    [Description("How answers should be: length concise|detailed|null, tone casual|formal|null (null: no preference). Replaces the stored style when given.")]
    ProfileStyleRequest? Style = null);

/// <summary>A communication style as sent: each part null for no preference.</summary>
public sealed record ProfileStyleRequest(
    [Description("concise or detailed; null for no preference.")] string? Length,
    [Description("casual or formal; null for no preference.")] string? Tone)
{
    public CommunicationStyle ToStyle() => new() { Length = Length, Tone = Tone };
}

/// <summary>A communication style as stored: each part null for no preference.</summary>
public sealed record ProfileStyleDto(
    [Description("concise or detailed; null for no preference.")] string? Length,
    [Description("casual or formal; null for no preference.")] string? Tone)
{
    public static ProfileStyleDto? From(CommunicationStyle? style) => style is null ? null : new(style.Length, style.Tone);
}
