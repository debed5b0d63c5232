using CloneAI.Azure.Chat;
using CloneAI.Azure.Recommendations;
using CloneAI.Core.Recommendations;
using Microsoft.Azure.Cosmos;
using static CloneAI.Azure.Tests.Cosmos.CosmosMocks;

namespace CloneAI.Azure.Tests.Recommendations;

/// <summary>Who used which clone, from the sessions container: parameterised cross-partition projections, previews left out, folded per user and clone.</summary>
public sealed class CosmosCloneUsageReaderTests
{
    private static readonly DateTimeOffset Dec1 = DateTimeOffset.Parse("2026-12-01T09:00:00Z");

    private readonly Mock<Container> _sessions = new(MockBehavior.Strict);
    private readonly List<(QueryDefinition Query, QueryRequestOptions Options)> _queries = [];
    private readonly CosmosCloneUsageReader _reader;

    public CosmosCloneUsageReaderTests() => _reader = new CosmosCloneUsageReader(_sessions.Object);

    private void Returns(params CosmosCloneUsageReader.UsageRow[] rows) =>
        _sessions.Setup(c => c.GetItemQueryIterator<CosmosCloneUsageReader.UsageRow>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Callback((QueryDefinition q, string _, QueryRequestOptions o) => _queries.Add((q, o)))
            .Returns(() => Feed<CosmosCloneUsageReader.UsageRow>(rows));

    private static CosmosCloneUsageReader.UsageRow Row(string user, string clone, DateTimeOffset at, int? messages = 1, int? rating = null) =>
        new(user, clone, at.ToUnixTimeMilliseconds(), messages, rating);

    private static object? Parameter(QueryDefinition q, string name) => q.GetQueryParameters().Single(p => p.Name == name).Value;

    [Fact]
    public async Task AUsersUsesAreOneParameterisedQueryFoldedPerClone()
    {
        Returns(Row("me", "tides", Dec1, 3, 4), Row("me", "tides", Dec1.AddDays(1), null, 5), Row("me", "moon", Dec1.AddHours(1)));

        var uses = await _reader.ForUserAsync("me' OR 1=1 --");

        var (query, options) = Assert.Single(_queries);
        Assert.Null(options?.PartitionKey); // the container is partitioned by session: a cross-partition query
        Assert.Contains("c.userId = @user", query.QueryText, StringComparison.Ordinal);
        Assert.Contains("c.session.preview", query.QueryText, StringComparison.Ordinal);
        Assert.DoesNotContain("OR 1=1", query.QueryText, StringComparison.Ordinal);
        Assert.Equal(CosmosSessionStore.SessionType, Parameter(query, "@type"));
        Assert.Empty(uses); // rows of another user than asked for are never returned

        _queries.Clear();
        var mine = await _reader.ForUserAsync("me");
        Assert.Equal([new CloneUse("me", "tides", 2, 3, 4.5, Dec1.AddDays(1)), new CloneUse("me", "moon", 1, 1, null, Dec1.AddHours(1))], mine);
    }

    [Fact]
    public async Task EveryonesUsesAreTheNewestSessionsSinceATime()
    {
        Returns(Row("a", "tides", Dec1), Row("b", "tides", Dec1.AddHours(1)), Row("a", "tides", Dec1.AddHours(2)));

        var uses = await _reader.ListSinceAsync(Dec1.AddDays(-1), 500);

        var (query, _) = Assert.Single(_queries);
        Assert.StartsWith("SELECT TOP @max ", query.QueryText, StringComparison.Ordinal);
        Assert.Contains("c.startedMs >= @since", query.QueryText, StringComparison.Ordinal);
        Assert.EndsWith("ORDER BY c.startedMs DESC", query.QueryText, StringComparison.Ordinal);
        Assert.Equal(500, Parameter(query, "@max"));
        Assert.Equal(Dec1.AddDays(-1).ToUnixTimeMilliseconds(), Parameter(query, "@since"));
        Assert.Equal([("a", 2), ("b", 1)], uses.Select(u => (u.UserId, u.Sessions)));
    }
}
