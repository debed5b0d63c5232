using CloneAI.Core.Domain;
using CloneAI.Core.Memory;
using CloneAI.Core.Styling;
using CloneAI.Core.Tests.Progress;
using CloneAI.Core.Users;

namespace CloneAI.Core.Tests.Styling;

public sealed class EffectiveStyleTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly Mock<IUserStore> _users = new();
    private readonly InMemoryClonePreferences _preferences = new();
    private readonly InMemoryMemoryStore _memories = new();
    private User _alice = new() { Id = "alice", Email = "alice@example.com", DisplayName = "Alice" };

    public EffectiveStyleTests() =>
        _users.Setup(u => u.GetAsync("alice", It.IsAny<CancellationToken>())).ReturnsAsync(() => _alice);

    private EffectiveStyle Styles() => new(_users.Object, _preferences, _memories);

    private void Profile(string? length, string? tone) => _alice = _alice with { Style = new CommunicationStyle { Length = length, Tone = tone } };

    private void PerClone(string clone, string? length, string? tone, bool memory = true) => _preferences.All.Add(new ClonePreferences
    {
        UserId = "alice", CloneId = clone, MemoryEnabled = memory,
        Style = length is null && tone is null ? null : new CommunicationStyle { Length = length, Tone = tone },
    });

    private void Remember(string clone, string text, string kind = MemoryKinds.Preference, string user = "alice") => _memories.Items.Add(new MemoryItem
    {
        Id = Guid.NewGuid().ToString("N"), UserId = user, CloneId = clone, Kind = kind, Text = text, CreatedAt = At, UpdatedAt = At,
    });

    [Fact]
    public async Task WithNothingSetThereIsNoStyle() => Assert.Null(await Styles().StyleForAsync("alice", "c1"));

    [Fact]
    public async Task TheProfileStyleApplies()
    {
        Profile(CommunicationStyle.Detailed, CommunicationStyle.Formal);
        Assert.Equal(new CommunicationStyle { Length = "detailed", Tone = "formal" }, await Styles().StyleForAsync("alice", "c1"));
    }

    [Fact]
    public async Task APerCloneOverrideBeatsTheProfilePartByPartForThatCloneOnly()
    {
        Profile(CommunicationStyle.Detailed, CommunicationStyle.Formal);
        PerClone("c1", CommunicationStyle.Concise, null);

        Assert.Equal(new CommunicationStyle { Length = "concise", Tone = "formal" }, await Styles().StyleForAsync("alice", "c1"));
        Assert.Equal(new CommunicationStyle { Length = "detailed", Tone = "formal" }, await Styles().StyleForAsync("alice", "c2"));
    }

    [Fact]
    public async Task WithoutASettingTheUsersRememberedPreferencesForTheCloneDecide()
    {
        Remember("c1", "I prefer short answers");
        Remember("c1", "my goal is to sound formal at work", MemoryKinds.Goal); // a goal, not a preference
        Remember("c2", "I like detailed, thorough explanations");
        Remember("c1", "I prefer detailed answers", user: "bob");

        Assert.Equal(new CommunicationStyle { Length = "concise" }, await Styles().StyleForAsync("alice", "c1"));
        Assert.Equal(new CommunicationStyle { Length = "detailed" }, await Styles().StyleForAsync("alice", "c2"));
    }

    [Fact]
    public async Task TheProfileBeatsMemoryAndMemoryFillsOnlyTheUnsetPart()
    {
        Profile(CommunicationStyle.Detailed, null);
        Remember("c1", "I prefer brief, casual replies");

        Assert.Equal(new CommunicationStyle { Length = "detailed", Tone = "casual" }, await Styles().StyleForAsync("alice", "c1"));
    }

    [Fact]
    public async Task MemoryTurnedOffForTheCloneIsNotRead()
    {
        Remember("c1", "I prefer short answers");
        PerClone("c1", null, null, memory: false);

        Assert.Null(await Styles().StyleForAsync("alice", "c1"));
    }

    [Fact]
    public async Task WithoutPerCloneSettingsOrMemoryStoresTheProfileStillApplies()
    {
        Profile(null, CommunicationStyle.Casual);
        Assert.Equal(new CommunicationStyle { Tone = "casual" }, await new EffectiveStyle(_users.Object).StyleForAsync("alice", "c1"));
    }

    [Theory]
    [InlineData("I prefer short answers", "concise", null)]
    [InlineData("Keep it brief please", "concise", null)]
    [InlineData("I like concise replies", "concise", null)]
    [InlineData("I prefer detailed answers", "detailed", null)]
    [InlineData("explain things in depth", "detailed", null)]
    [InlineData("I want thorough explanations", "detailed", null)]
    [InlineData("I prefer a formal tone", null, "formal")]
    [InlineData("talk to me casually", null, "casual")]
    [InlineData("keep it informal", null, "casual")]
    public void PreferencesInTheUsersWordsAreRead(string text, string? length, string? tone) =>
        Assert.Equal(new CommunicationStyle { Length = length, Tone = tone }, EffectiveStyle.Infer([text]));

    [Fact]
    public void APreferenceThatSaysNothingAboutStyleIsNone() => Assert.Null(EffectiveStyle.Infer(["I prefer tea to coffee"]));

    [Fact]
    public void TheLatestPreferenceWins() =>
        Assert.Equal("detailed", EffectiveStyle.Infer(["I prefer short answers", "actually I prefer detailed answers now"])!.Length);
}
