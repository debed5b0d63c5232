using CloneAI.Azure.Chat;
using CloneAI.Azure.Insights;
using CloneAI.Core.Chat;
using Microsoft.Azure.Cosmos;
using static CloneAI.Azure.Tests.Cosmos.CosmosMocks;

namespace CloneAI.Azure.Tests.Insights;

/// <summary>The dashboard's reads on the sessions container: cross-partition queries by clone, parameterised, previews left out.</summary>
public sealed class CosmosCloneInsightsStoreTests
{
    private static readonly DateTimeOffset Dec1 = DateTimeOffset.Parse("2026-12-01T09:00:00Z");
    private static readonly DateTimeOffset Since = DateTimeOffset.Parse("2026-12-01T00:00:00Z");
    private static readonly DateTimeOffset Until = DateTimeOffset.Parse("2026-12-04T00:00:00Z");

    private readonly Mock<Container> _sessions = new(MockBehavior.Strict);
    private readonly List<(QueryDefinition Query, QueryRequestOptions Options)> _queries = [];
    private readonly CosmosCloneInsightsStore _store;

    public CosmosCloneInsightsStoreTests() => _store = new CosmosCloneInsightsStore(_sessions.Object);

    private void Returns<T>(IReadOnlyList<T> items) =>
        _sessions.Setup(c => c.GetItemQueryIterator<T>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Callback((QueryDefinition q, string _, QueryRequestOptions o) => _queries.Add((q, o)))
            .Returns(() => Feed(items));

    private static ChatSession Session(string id, string cloneId, DateTimeOffset at, bool preview = false) => new()
    {
        Id = id, UserId = preview ? "owner" : "user", CloneId = cloneId, CloneName = cloneId, OwnerId = "owner", StartedAt = at, LastActivityAt = at.AddMinutes(5), Preview = preview,
    };

    private static object? Parameter(QueryDefinition q, string name) => q.GetQueryParameters().Single(p => p.Name == name).Value;

    [Fact]
    public async Task AClonesSessionsAreACrossPartitionQueryByCloneAndStartWithoutPreviews()
    {
        Returns<SessionItem>([CosmosSessionStore.Item(Session("s1", "c-1", Dec1)), CosmosSessionStore.Item(Session("p", "c-1", Dec1, preview: true))]);

        var sessions = await _store.ListSessionsAsync(["c-1", "c-2' OR 1=1 --"], Since, Until);

        Assert.Equal(["s1"], sessions.Select(s => s.Id)); // a preview the query returned anyway is still left out
        var (query, options) = Assert.Single(_queries);
        Assert.Null(options.PartitionKey); // cross-partition
        Assert.Contains("ARRAY_CONTAINS(@clones, c.cloneId)", query.QueryText, StringComparison.Ordinal);
        Assert.Contains("c.session.preview", query.QueryText, StringComparison.Ordinal);
        Assert.DoesNotContain("OR 1=1", query.QueryText, StringComparison.Ordinal);
        Assert.Equal(["c-1", "c-2' OR 1=1 --"], (string[])Parameter(query, "@clones")!);
        Assert.Equal(Since.ToUnixTimeMilliseconds(), Parameter(query, "@since"));
        Assert.Equal(Until.ToUnixTimeMilliseconds(), Parameter(query, "@until"));
    }

    [Fact]
    public async Task UsageIsQueriedByCloneAndTimeAndTheOwnersOwnIsLeftOut()
    {
        UsageItem Usage(string id, string user, long amount) => new(id, "s1", CosmosSessionStore.UsageType, "c-1", Dec1.ToUnixTimeMilliseconds(), new UsageEvent
        {
            Id = id, SessionId = "s1", UserId = user, CloneId = "c-1", OwnerId = "owner", Kind = UsageKinds.Message, Amount = amount, CreatedAt = Dec1,
        });
        Returns<UsageItem>([Usage("u1", "user", 10), Usage("u2", "owner", 99)]);

        var usage = await _store.ListUsageAsync(["c-1"], Since, Until);

        Assert.Equal(["u1"], usage.Select(u => u.Id));
        var (query, _) = Assert.Single(_queries);
        Assert.Equal(CosmosSessionStore.UsageType, Parameter(query, "@type"));
        Assert.Contains("c.createdMs >= @since AND c.createdMs < @until", query.QueryText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuestionsArePairedWithTheirAnswersNewestFirstWithoutTheAnswersText()
    {
        Returns<SessionItem>([CosmosSessionStore.Item(Session("s1", "c-1", Dec1)), CosmosSessionStore.Item(Session("s2", "c-2", Dec1))]);
        MessageItem Message(string sessionId, string key, string role, string content, DateTimeOffset at, string? kind = null, double? best = null, params string[] cited)
        {
            var m = new SessionMessage
            {
                Id = sessionId + key + role, SessionId = sessionId, Role = role, Content = content, ClientMessageId = key, AnswerKind = kind, BestSimilarity = best, CreatedAt = at,
                Citations = cited.Select((d, i) => new Citation(i + 1, d, d, d, 0, 1, null, "s")).ToList(),
            };
            return CosmosSessionStore.Item(m, at.ToUnixTimeMilliseconds() * 10 + (role == MessageRoles.User ? 0 : 1));
        }
        Returns<MessageItem>(
        [
            Message("s1", "k1", MessageRoles.User, "What causes the tides?", Dec1),
            Message("s1", "k1", MessageRoles.Assistant, "The Moon.", Dec1, AnswerKinds.Extractive, 0.8, "d-1", "d-1"),
            Message("s2", "k1", MessageRoles.User, "What is the price?", Dec1.AddMinutes(3)),
            Message("s2", "k1", MessageRoles.Assistant, "I don't know.", Dec1.AddMinutes(3), AnswerKinds.DontKnow),
            Message("s2", "k2", MessageRoles.User, "Still waiting", Dec1.AddMinutes(4)), // not answered yet
            Message("s1", "k0", MessageRoles.User, "Asked before the period", Since.AddDays(-1)),
        ]);

        var questions = await _store.ListQuestionsAsync(["c-1", "c-2"], Since, Until, 10);

        Assert.Equal(["Still waiting", "What is the price?", "What causes the tides?"], questions.Select(q => q.Text));
        Assert.Null(questions[0].AnswerKind);
        Assert.Equal(("c-2", AnswerKinds.DontKnow), (questions[1].CloneId, questions[1].AnswerKind));
        Assert.Equal(("c-1", 0.8), (questions[2].CloneId, questions[2].BestSimilarity!.Value));
        Assert.Equal(["d-1"], questions[2].CitedDocumentIds);
        Assert.Equal(2, _queries.Count);
        var messages = _queries[1].Query;
        Assert.Contains("ARRAY_CONTAINS(@sessions, c.sessionId)", messages.QueryText, StringComparison.Ordinal);
        Assert.Equal(["s1", "s2"], (string[])Parameter(messages, "@sessions")!);
        Assert.Equal(Since.ToUnixTimeMilliseconds() * 10, Parameter(messages, "@since"));

        Assert.Single(await _store.ListQuestionsAsync(["c-1", "c-2"], Since, Until, 1));
    }

    [Fact]
    public async Task ManySessionsAreReadInChunksAndNoClonesReadNothing()
    {
        var many = Enumerable.Range(0, CosmosCloneInsightsStore.SessionsPerQuery + 1).Select(i => CosmosSessionStore.Item(Session($"s{i:D3}", "c-1", Dec1))).ToList();
        Returns<SessionItem>(many);
        Returns<MessageItem>([]);
        Assert.Empty(await _store.ListQuestionsAsync(["c-1"], Since, Until, 10));
        Assert.Equal(3, _queries.Count); // the sessions, then two chunks of their messages
        Assert.Equal(CosmosCloneInsightsStore.SessionsPerQuery, ((string[])Parameter(_queries[1].Query, "@sessions")!).Length);

        _queries.Clear();
        Assert.Empty(await _store.ListSessionsAsync([], Since, Until));
        Assert.Empty(_queries);
    }
}
