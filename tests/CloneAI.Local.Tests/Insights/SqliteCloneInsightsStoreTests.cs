using CloneAI.Core.Chat;
using CloneAI.Core.Domain;
using CloneAI.Local.Chat;
using CloneAI.Local.Insights;
using CloneAI.Local.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloneAI.Local.Tests.Insights;

/// <summary>The dashboard's reads on a real SQLite file, written through the session store as the chat writes them.</summary>
public sealed class SqliteCloneInsightsStoreTests : IDisposable
{
    private static readonly DateTimeOffset Dec1 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cloneai-insights-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteSessionStore _sessions;
    private readonly SqliteCloneInsightsStore _insights;

    public SqliteCloneInsightsStoreTests()
    {
        var db = new SqliteDatabase(Path.Combine(_dir, "cloneai.db"), NullLogger<SqliteDatabase>.Instance);
        _sessions = new SqliteSessionStore(db);
        _insights = new SqliteCloneInsightsStore(db);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private async Task<ChatSession> StartAsync(string id, string cloneId, DateTimeOffset at, bool preview = false)
    {
        var session = new ChatSession
        {
            Id = id, UserId = preview ? "owner" : "user", CloneId = cloneId, CloneName = cloneId, OwnerId = "owner", StartedAt = at, LastActivityAt = at, Preview = preview,
        };
        var greeting = new SessionMessage { Id = id + "-greeting", SessionId = id, Role = MessageRoles.Assistant, Content = "Hello", AnswerKind = AnswerKinds.Greeting, CreatedAt = at };
        return await _sessions.CreateAsync(session, greeting);
    }

    private async Task<ChatSession> AskAsync(ChatSession session, string key, string question, string kind, double? best, DateTimeOffset at, long amount = 10, params string[] cited)
    {
        var q = new SessionMessage { Id = session.Id + key + "-q", SessionId = session.Id, Role = MessageRoles.User, Content = question, ClientMessageId = key, CreatedAt = at };
        var a = new SessionMessage
        {
            Id = session.Id + key, SessionId = session.Id, Role = MessageRoles.Assistant, Content = "The answer, never shown.", ClientMessageId = key, AnswerKind = kind, BestSimilarity = best,
            Citations = cited.Select((d, i) => new Citation(i + 1, d, d + ".md", d, 0, 10, null, "snippet")).ToList(), CreatedAt = at,
        };
        var usage = new UsageEvent
        {
            Id = $"{session.Id}:message:{key}", SessionId = session.Id, UserId = session.UserId, CloneId = session.CloneId, OwnerId = "owner",
            Kind = UsageKinds.Message, Quantity = 1, Amount = amount, Currency = "USD", CreatedAt = at,
        };
        var updated = session with { MessageCount = session.MessageCount + 1, LastActivityAt = at };
        Assert.True(await _sessions.AddExchangeAsync(updated, q, a, usage));
        return (await _sessions.GetAsync(session.Id))!;
    }

    [Fact]
    public async Task SessionsUsageAndQuestionsOfTheClonesInThePeriodWithoutPreviews()
    {
        var s1 = await StartAsync("s1", "c-1", Dec1);
        s1 = await AskAsync(s1, "k1", "What causes the tides?", AnswerKinds.Extractive, 0.78, Dec1.AddMinutes(1), 10, "d-1", "d-2");
        await AskAsync(s1, "k2", "What is the price?", AnswerKinds.DontKnow, null, Dec1.AddMinutes(2));
        var preview = await StartAsync("p", "c-1", Dec1.AddMinutes(5), preview: true);
        await AskAsync(preview, "k1", "Owner testing", AnswerKinds.Extractive, 0.9, Dec1.AddMinutes(6), 0);
        var other = await StartAsync("o", "c-other", Dec1);
        await AskAsync(other, "k1", "Not mine", AnswerKinds.Extractive, 0.9, Dec1.AddMinutes(1));
        var s2 = await StartAsync("s2", "c-2", Dec1.AddDays(1));
        await AskAsync(s2, "k1", "How far is the Moon?", AnswerKinds.Model, 0.5, Dec1.AddDays(1).AddMinutes(1), 25);
        var late = await StartAsync("late", "c-1", Dec1.AddDays(5));
        await AskAsync(late, "k1", "After the period", AnswerKinds.Extractive, 0.9, Dec1.AddDays(5));

        var since = Dec1.AddHours(-9);
        var until = since.AddDays(3);
        string[] mine = ["c-1", "c-2"];

        var sessions = await _insights.ListSessionsAsync(mine, since, until);
        Assert.Equal(["s1", "s2"], sessions.Select(s => s.Id));

        var usage = await _insights.ListUsageAsync(mine, since, until);
        Assert.Equal([10L, 10, 25], usage.Select(u => u.Amount));
        Assert.DoesNotContain(usage, u => u.SessionId is "p" or "o" or "late");

        var questions = await _insights.ListQuestionsAsync(mine, since, until, 10);
        Assert.Equal(["How far is the Moon?", "What is the price?", "What causes the tides?"], questions.Select(q => q.Text)); // newest first
        var tides = questions[2];
        Assert.Equal(("c-1", AnswerKinds.Extractive, 0.78), (tides.CloneId, tides.AnswerKind, tides.BestSimilarity!.Value));
        Assert.Equal(["d-1", "d-2"], tides.CitedDocumentIds);
        Assert.Equal(AnswerKinds.DontKnow, questions[1].AnswerKind);
        Assert.Null(questions[1].BestSimilarity);

        Assert.Equal(["How far is the Moon?"], (await _insights.ListQuestionsAsync(mine, since, until, 1)).Select(q => q.Text));
        Assert.Empty(await _insights.ListQuestionsAsync([], since, until, 10));
    }

    [Fact]
    public async Task AQuestionAskedBeforeThePeriodInASessionStillActiveInItIsLeftOut()
    {
        var s = await StartAsync("s", "c-1", Dec1);
        s = await AskAsync(s, "k1", "Before", AnswerKinds.Extractive, 0.8, Dec1.AddMinutes(1));
        await AskAsync(s, "k2", "Within", AnswerKinds.Extractive, 0.8, Dec1.AddDays(1));
        var questions = await _insights.ListQuestionsAsync(["c-1"], Dec1.AddDays(1).AddHours(-9), Dec1.AddDays(2), 10);
        Assert.Equal(["Within"], questions.Select(q => q.Text));
    }
}
