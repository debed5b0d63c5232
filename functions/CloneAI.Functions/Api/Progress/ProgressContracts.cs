using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using CloneAI.Core.Progress;
using CloneAI.Functions.Http;

namespace CloneAI.Functions.Api.Progress;

public sealed record ProgressQuery([Required, Description("The clone whose checklist to read.")] string? CloneId);

/// <summary>One checklist item: a goal from the user's memory, or an action item of one of their session summaries.</summary>
public sealed record ProgressItemDto(
    [Description("Stable across reads: goal:{memoryId} or action:{sessionId}:{index}.")] string Id,
    string CloneId,
    [property: ValuesFrom(typeof(ProgressOrigins))] string Origin,
    string Text,
    [Description("The session it came from, if any.")] string? SessionId,
    bool Done,
    DateTimeOffset? DoneAt,
    DateTimeOffset CreatedAt)
{
    public static ProgressItemDto From(ProgressItem i) => new(i.Id, i.CloneId, i.Origin, i.Text, i.SessionId, i.Done, i.DoneAt, i.CreatedAt);
}

/// <summary>The user's checklist with a clone, oldest first, with how many items are done and how many are open.</summary>
public sealed record ProgressDto(IReadOnlyList<ProgressItemDto> Items, int Done, int Open)
{
    public static ProgressDto From(ProgressChecklist c) => new(c.Items.Select(ProgressItemDto.From).ToList(), c.Done, c.Open);
}

public sealed record SetProgressRequest(
    [Required, Description("The clone whose checklist holds the item.")] string? CloneId,
    [Required, Description("true ticks the item, false unticks it.")] bool? Done);
