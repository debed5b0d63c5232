using CloneAI.Core.Errors;
using CloneAI.Core.Memory;
using CloneAI.Core.Progress;
using CloneAI.Core.Summaries;
using Microsoft.Extensions.Time.Testing;

namespace CloneAI.Core.Tests.Progress;

public sealed class ProgressServiceTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(At.AddDays(10));
    private readonly InMemoryMemoryStore _memories = new();
    private readonly InMemorySummaryStore _summaries = new();
    private readonly InMemoryTickStore _ticks = new();
    private readonly ProgressService _service;

    public ProgressServiceTests()
    {
        _service = new ProgressService(_ticks, _time, _memories, _summaries);
        _memories.Items.AddRange(
        [
            Memory("m1", "alice", "c1", MemoryKinds.Goal, "Run a marathon in April", At, "s1"),
            Memory("m2", "alice", "c1", MemoryKinds.Preference, "I prefer short answers", At),
            Memory("m3", "alice", null, MemoryKinds.Goal, "Sleep eight hours a night", At.AddDays(1)),
            Memory("m4", "alice", "c2", MemoryKinds.Goal, "Learn Italian", At),
            Memory("m5", "bob", "c1", MemoryKinds.Goal, "Bob's secret goal", At),
        ]);
        _summaries.Summaries.AddRange(
        [
            Summary("s1", "alice", "c1", At.AddHours(1), "Buy running shoes.", "Run 5 km three times a week."),
            Summary("s2", "alice", "c2", At.AddHours(2), "Practise verbs."),
            Summary("s3", "bob", "c1", At.AddHours(3), "Bob's action."),
        ]);
    }

    private static MemoryItem Memory(string id, string user, string? clone, string kind, string text, DateTimeOffset at, string? session = null) => new()
    {
        Id = id, UserId = user, CloneId = clone, Kind = kind, Text = text, CreatedAt = at, UpdatedAt = at,
        Source = session is null ? null : new MemorySource(session, "msg-" + id),
    };

    private static SessionSummary Summary(string session, string user, string clone, DateTimeOffset ended, params string[] actions) => new()
    {
        SessionId = session, UserId = user, CloneId = clone, Summary = "A session.", ActionItems = actions, Method = SummaryMethods.Extractive,
        SessionEndedAt = ended, CreatedAt = ended.AddMinutes(1),
    };

    [Fact]
    public async Task TheChecklistHoldsTheClonesAndSharedGoalsAndTheActionItemsOfItsSummariesOldestFirst()
    {
        var list = await _service.ChecklistAsync("alice", "c1");

        Assert.Equal(["goal:m1", "action:s1:0", "action:s1:1", "goal:m3"], list.Items.Select(i => i.Id));
        Assert.Equal([ProgressOrigins.Goal, ProgressOrigins.ActionItem, ProgressOrigins.ActionItem, ProgressOrigins.Goal], list.Items.Select(i => i.Origin));
        Assert.Equal("Run a marathon in April", list.Items[0].Text);
        Assert.Equal("s1", list.Items[0].SessionId);
        Assert.Equal("s1", list.Items[1].SessionId);
        Assert.All(list.Items, i => Assert.Equal("c1", i.CloneId));
        Assert.All(list.Items, i => Assert.False(i.Done));
        Assert.Equal((0, 4), (list.Done, list.Open));
    }

    [Fact]
    public async Task ATickIsKeptAcrossReadsAndCountedAndAnUntickReopensTheItem()
    {
        var ticked = await _service.SetDoneAsync("alice", "action:s1:1", "c1", true);
        Assert.True(ticked.Done);
        Assert.Equal(_time.GetUtcNow(), ticked.DoneAt);

        var list = await _service.ChecklistAsync("alice", "c1");
        Assert.True(list.Items.Single(i => i.Id == "action:s1:1").Done);
        Assert.Equal((1, 3), (list.Done, list.Open));
        Assert.Equal(["goal:m1", "action:s1:0", "goal:m3"], (await _service.OpenItemsAsync("alice", "c1")).Select(i => i.Id));

        var unticked = await _service.SetDoneAsync("alice", "action:s1:1", "c1", false);
        Assert.False(unticked.Done);
        Assert.Null(unticked.DoneAt);
        Assert.Equal(4, (await _service.ChecklistAsync("alice", "c1")).Open);
    }

    [Fact]
    public async Task TicksAreTheUsersOwnAndPerClone()
    {
        await _service.SetDoneAsync("alice", "goal:m3", "c1", true);

        Assert.False((await _service.ChecklistAsync("alice", "c2")).Items.Single(i => i.Id == "goal:m3").Done);
        Assert.DoesNotContain((await _service.ChecklistAsync("bob", "c1")).Items, i => i.Done);
        Assert.Equal(["goal:m5", "action:s3:0"], (await _service.ChecklistAsync("bob", "c1")).Items.Select(i => i.Id));
    }

    [Theory]
    [InlineData("goal:m5")]          // Bob's goal: not on Alice's checklist
    [InlineData("action:s3:0")]      // Bob's summary
    [InlineData("goal:m2")]          // a preference, not a goal
    [InlineData("goal:m4")]          // another clone's goal
    [InlineData("action:s1:7")]      // no such action item
    [InlineData("nothing")]
    public async Task AnItemNotOnTheUsersChecklistWithTheCloneIsNotFoundAndNothingIsStored(string itemId)
    {
        await Assert.ThrowsAsync<NotFoundException>(() => _service.SetDoneAsync("alice", itemId, "c1", true));
        Assert.Empty(_ticks.Ticks);
    }

    [Fact]
    public async Task BadInputIsReportedPerField()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => _service.SetDoneAsync("alice", "goal:m1", null, null));
        Assert.Equal(["cloneId", "done"], e.Errors.Keys.Order());
        var read = await Assert.ThrowsAsync<ValidationException>(() => _service.ChecklistAsync("alice", " "));
        Assert.Equal(["cloneId"], read.Errors.Keys);
        Assert.Empty(_ticks.Ticks);
    }

    [Fact]
    public async Task WithoutMemoryOrSummariesTheChecklistHasOnlyTheOtherOrigin()
    {
        var summariesOnly = new ProgressService(_ticks, _time, null, _summaries);
        Assert.All((await summariesOnly.ChecklistAsync("alice", "c1")).Items, i => Assert.Equal(ProgressOrigins.ActionItem, i.Origin));
        var memoryOnly = new ProgressService(_ticks, _time, _memories, null);
        Assert.All((await memoryOnly.ChecklistAsync("alice", "c1")).Items, i => Assert.Equal(ProgressOrigins.Goal, i.Origin));
        Assert.Empty((await new ProgressService(_ticks, _time).ChecklistAsync("alice", "c1")).Items);
    }
}
