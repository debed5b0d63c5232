using System.ComponentModel;
using CloneAI.Core.Domain;
using CloneAI.Core.Memory;
using CloneAI.Functions.Http;

namespace CloneAI.Functions.Api.Memory;

/// <summary>One thing a clone remembers about you: a preference, a goal or a fact; for one clone, or shared by all (cloneId null).</summary>
public sealed record MemoryItemDto(
    string Id,
    [property: ValuesFrom(typeof(MemoryKinds))] string Kind,
    string Text,
    [property: Description("The clone it belongs to; null for an item shared across your clones (name, role, preferred style).")] string? CloneId,
    [property: Description("The session and message it was taken from; null for an item you wrote yourself.")] MemorySource? Source,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static MemoryItemDto From(MemoryItem m) => new(m.Id, m.Kind, m.Text, m.CloneId, m.Source, m.CreatedAt, m.UpdatedAt);
}

public sealed record MemoryList(IReadOnlyList<MemoryItemDto> Items);

public sealed record MemoryQuery([Description("Only this clone's items and the shared ones; without it, all of yours.")] string? CloneId);

/// <summary>An item you write yourself: for one clone, or shared (no cloneId).</summary>
public sealed record AddMemoryRequest(
    [property: ValuesFrom(typeof(MemoryKinds))] string? Kind,
    [property: Description("At most 500 characters.")] string? Text,
    [property: Description("A clone you can open; leave out for an item shared across your clones.")] string? CloneId);

/// <summary>A change of an item; absent fields stay as they are.</summary>
public sealed record UpdateMemoryRequest(
    [property: Description("At most 500 characters.")] string? Text,
    [property: ValuesFrom(typeof(MemoryKinds))] string? Kind);

/// <summary>Your settings for one clone: whether it remembers you, and a communication style that overrides your profile's for it.</summary>
public sealed record CloneSettingsDto(
    string CloneId,
    [property: Description("Off: nothing new is remembered, and nothing remembered is used with this clone.")] bool MemoryEnabled,
    [property: Description("Overrides your profile's style for this clone; null: your profile's.")] CloneStyle? Style,
    [property: Description("When you last changed them; null when never.")] DateTimeOffset? UpdatedAt)
{
    public static CloneSettingsDto From(ClonePreferences p) =>
        new(p.CloneId, p.MemoryEnabled, p.Style is null ? null : new CloneStyle(p.Style.Length, p.Style.Tone), p.UpdatedAt == default ? null : p.UpdatedAt);
}

/// <summary>How a clone answers you: length and tone (either null: no override).</summary>
public sealed record CloneStyle(
    [property: ValuesFrom(typeof(StyleLengths))] string? Length,
    [property: ValuesFrom(typeof(StyleTones))] string? Tone);

/// <summary>A style override for a clone: length and tone (either null: no override).</summary>
public sealed record CloneStyleInput(
    [property: ValuesFrom(typeof(StyleLengths))] string? Length,
    [property: ValuesFrom(typeof(StyleTones))] string? Tone)
{
    public CommunicationStyle ToStyle() => new() { Length = Length, Tone = Tone };
}

/// <summary>The answer lengths a style may ask for.</summary>
public static class StyleLengths
{
    public static readonly IReadOnlyList<string> All = CommunicationStyle.Lengths;
}

/// <summary>The tones a style may ask for.</summary>
public static class StyleTones
{
    public static readonly IReadOnlyList<string> All = CommunicationStyle.Tones;
}

/// <summary>Replaces your settings for a clone.</summary>
public sealed record PutCloneSettingsRequest(
    bool? MemoryEnabled,
    [property: Description("Overrides your profile's style for this clone; null: your profile's.")] CloneStyleInput? Style);
