using System.Net;
using CloneAI.Core.Chat;
using CloneAI.Core.Errors;
using Microsoft.Azure.Cosmos;
using CloneAI.Azure.Chat;
using static CloneAI.Azure.Tests.Cosmos.CosmosMocks;

namespace CloneAI.Azure.Tests.Cosmos;

public sealed class CosmosSessionStoreTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2025-03-01T12:00:00Z");

    private readonly Mock<Container> _sessions = new(MockBehavior.Strict);
    private readonly CosmosSessionStore _store;
    private readonly List<(string Kind, string Id, object Item, string? IfMatch)> _operations = [];
    private PartitionKey? _batchPartition;
    private HttpStatusCode[]? _outcome;

    public CosmosSessionStoreTests()
    {
        _store = new CosmosSessionStore(_sessions.Object);
        _sessions.Setup(c => c.CreateTransactionalBatch(It.IsAny<PartitionKey>())).Returns((PartitionKey pk) =>
        {
            _batchPartition = pk;
            var batch = new Mock<TransactionalBatch>(MockBehavior.Strict);
            batch.Setup(b => b.CreateItem(It.IsAny<MessageItem>(), It.IsAny<TransactionalBatchItemRequestOptions>()))
                .Callback((MessageItem m, TransactionalBatchItemRequestOptions o) => _operations.Add(("create", m.Id, m, o?.IfMatchEtag))).Returns(batch.Object);
            batch.Setup(b => b.CreateItem(It.IsAny<SessionItem>(), It.IsAny<TransactionalBatchItemRequestOptions>()))
                .Callback((SessionItem i, TransactionalBatchItemRequestOptions o) => _operations.Add(("create", i.Id, i, o?.IfMatchEtag))).Returns(batch.Object);
            batch.Setup(b => b.CreateItem(It.IsAny<UsageItem>(), It.IsAny<TransactionalBatchItemRequestOptions>()))
                .Callback((UsageItem u, TransactionalBatchItemRequestOptions o) => _operations.Add(("create", u.Id, u, o?.IfMatchEtag))).Returns(batch.Object);
            batch.Setup(b => b.UpsertItem(It.IsAny<UsageItem>(), It.IsAny<TransactionalBatchItemRequestOptions>()))
                .Callback((UsageItem u, TransactionalBatchItemRequestOptions o) => _operations.Add(("upsert", u.Id, u, o?.IfMatchEtag))).Returns(batch.Object);
            batch.Setup(b => b.ReplaceItem(It.IsAny<string>(), It.IsAny<SessionItem>(), It.IsAny<TransactionalBatchItemRequestOptions>()))
                .Callback((string id, SessionItem s, TransactionalBatchItemRequestOptions o) => _operations.Add(("replace", id, s, o?.IfMatchEtag))).Returns(batch.Object);
            batch.Setup(b => b.ExecuteAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() =>
                BatchResponse(_outcome ?? _operations.Select(o => o.Kind == "create" ? HttpStatusCode.Created : HttpStatusCode.OK).ToArray()));
            return batch.Object;
        });
    }

    private static ChatSession Session(string etag = "\"s1\"") => new()
    {
        Id = "s-1", UserId = "u-1", CloneId = "c-1", CloneName = "Tides", OwnerId = "o-1", StartedAt = Now, LastActivityAt = Now, MessageCount = 1, ETag = etag,
    };

    private static (SessionMessage Question, SessionMessage Answer, UsageEvent Usage) Exchange()
    {
        var q = new SessionMessage { Id = "a1-q", SessionId = "s-1", Role = MessageRoles.User, Content = "Why tides?", ClientMessageId = "k1", CreatedAt = Now };
        var a = q with { Id = "a1", Role = MessageRoles.Assistant, Content = "The Moon [1]." };
        var usage = new UsageEvent { Id = "s-1:message:k1", SessionId = "s-1", UserId = "u-1", CloneId = "c-1", OwnerId = "o-1", Kind = UsageKinds.Message, Quantity = 1, CreatedAt = Now };
        return (q, a, usage);
    }

    [Fact]
    public async Task ASessionAndItsGreetingAreCreatedInOneBatchAndARetriedCreationIsAConflict()
    {
        var session = Session(etag: null!) with { MessageCount = 0 };
        var greeting = new SessionMessage
        {
            Id = SessionGreeting.MessageId("s-1"), SessionId = "s-1", Role = MessageRoles.Assistant, Content = "Hello!", AnswerKind = AnswerKinds.Greeting, CreatedAt = Now,
        };

        var created = await _store.CreateAsync(session, greeting);

        Assert.Equal(new PartitionKey("s-1"), _batchPartition);
        Assert.Equal(["create s-1", "create s-1-greeting"], _operations.Select(o => $"{o.Kind} {o.Id}"));
        Assert.Equal("\"b0\"", created.ETag);
        Assert.Equal(AnswerKinds.Greeting, ((MessageItem)_operations[1].Item).Message.AnswerKind);

        _operations.Clear();
        _outcome = [HttpStatusCode.Conflict, HttpStatusCode.FailedDependency];
        await Assert.ThrowsAsync<ConflictException>(() => _store.CreateAsync(session, greeting));
    }

    [Fact]
    public async Task AnExchangeIsOneBatchInTheSessionsPartitionWithTheSessionReplacedOnItsETag()
    {
        var (q, a, usage) = Exchange();
        Assert.True(await _store.AddExchangeAsync(Session(), q, a, usage));
        Assert.Equal(new PartitionKey("s-1"), _batchPartition);
        Assert.Equal(["create a1-q", "create a1", "create s-1:message:k1", "replace s-1"], _operations.Select(o => $"{o.Kind} {o.Id}"));
        Assert.Equal("\"s1\"", _operations[3].IfMatch);
        var stored = (SessionItem)_operations[3].Item;
        Assert.Equal("session", stored.Type);
        Assert.Equal("u-1", stored.UserId);
        Assert.Null(stored.Session.ETag);
        Assert.True(((MessageItem)_operations[1].Item).Seq > ((MessageItem)_operations[0].Item).Seq);
    }

    [Fact]
    public async Task AMessageStoredBeforeMakesTheExchangeANoOp()
    {
        _outcome = [HttpStatusCode.Conflict, HttpStatusCode.FailedDependency, HttpStatusCode.FailedDependency, HttpStatusCode.FailedDependency];
        var (q, a, usage) = Exchange();
        Assert.False(await _store.AddExchangeAsync(Session(), q, a, usage));
    }

    [Fact]
    public async Task AChangedSessionIsAConflict()
    {
        _outcome = [HttpStatusCode.FailedDependency, HttpStatusCode.FailedDependency, HttpStatusCode.FailedDependency, HttpStatusCode.PreconditionFailed];
        var (q, a, usage) = Exchange();
        await Assert.ThrowsAsync<ConflictException>(() => _store.AddExchangeAsync(Session(), q, a, usage));
    }

    [Fact]
    public async Task EndingReplacesTheSessionAndKeepsOneMinutesEventPerKey()
    {
        var minutes = new UsageEvent { Id = "s-1:minutes", SessionId = "s-1", UserId = "u-1", CloneId = "c-1", OwnerId = "o-1", Kind = UsageKinds.Minutes, Quantity = 3, Amount = 150, CreatedAt = Now };
        var ended = await _store.EndAsync(Session() with { Status = SessionStatus.Ended, EndedAt = Now }, [minutes]);
        Assert.Equal(["replace s-1", "upsert s-1:minutes"], _operations.Select(o => $"{o.Kind} {o.Id}"));
        Assert.Equal("\"b0\"", ended.ETag);
        Assert.Equal(SessionStatus.Ended, ((SessionItem)_operations[0].Item).Status);
    }

    [Fact]
    public async Task RecordingUsageReplacesTheSessionOnItsETagAndStoresEachMinuteUnsettledInOneBatch()
    {
        var minutes = SessionCharges.Minutes(Session() with { Pricing = new CloneAI.Core.Domain.Pricing { PerMinute = 20 } }, 2, 3, Now);

        var stored = await _store.RecordUsageAsync(Session() with { MinutesRecorded = 3, ClockStartedAt = Now }, minutes);

        Assert.Equal(new PartitionKey("s-1"), _batchPartition);
        Assert.Equal(["replace s-1", "upsert s-1:minute:2", "upsert s-1:minute:3"], _operations.Select(o => $"{o.Kind} {o.Id}"));
        Assert.Equal("\"s1\"", _operations[0].IfMatch);
        Assert.All(_operations.Skip(1), o => Assert.True(((UsageItem)o.Item).Unsettled)); // on the sweep's list until charged
        Assert.Equal(3, stored.MinutesRecorded);

        _operations.Clear();
        _outcome = [HttpStatusCode.PreconditionFailed, HttpStatusCode.FailedDependency];
        await Assert.ThrowsAsync<ConflictException>(() => _store.RecordUsageAsync(Session(), minutes.Take(1).ToList()));
    }

    [Fact]
    public async Task SettlingAUsageEventTakesItOffTheSweepsListWithWhatWasCharged()
    {
        UsageItem? written = null;
        _sessions.Setup(c => c.UpsertItemAsync(It.IsAny<UsageItem>(), new PartitionKey("s-1"), null, It.IsAny<CancellationToken>()))
            .Callback((UsageItem u, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => written = u)
            .ReturnsAsync((UsageItem u, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => Item(u));
        var (_, _, usage) = Exchange();

        await _store.MarkSettledAsync(usage with { Amount = 25 }, 20, Now.AddSeconds(5));

        Assert.NotNull(written);
        Assert.False(written.Unsettled);
        Assert.Equal((20L, Now.AddSeconds(5)), (written.Usage.Charged!.Value, written.Usage.SettledAt!.Value));
        Assert.Equal("s-1:message:k1", written.Id);
    }

    [Fact]
    public async Task AMissingSessionIsNullAndAnInvalidIdIsNeverSent()
    {
        _sessions.Setup(c => c.ReadItemAsync<SessionItem>("nope", new PartitionKey("nope"), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.NotFound));
        Assert.Null(await _store.GetAsync("nope"));
        Assert.Null(await _store.GetAsync("../etc/passwd")); // the strict mock would throw on any call
    }

    [Fact]
    public async Task ASessionIsReadWithItsETag()
    {
        var session = Session(etag: "ignored");
        _sessions.Setup(c => c.ReadItemAsync<SessionItem>("s-1", new PartitionKey("s-1"), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(CosmosSessionStore.Item(session), "\"e9\""));
        var read = await _store.GetAsync("s-1");
        Assert.Equal("\"e9\"", read!.ETag);
        Assert.Equal("Tides", read.CloneName);
    }

    [Fact]
    public async Task AUsersSessionsAreQueriedByParameterNewestFirst()
    {
        QueryDefinition? seen = null;
        _sessions.Setup(c => c.GetItemQueryIterator<SessionItem>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Callback((QueryDefinition q, string _, QueryRequestOptions _) => seen = q)
            .Returns(Feed<SessionItem>([CosmosSessionStore.Item(Session())], "next"));
        var page = await _store.ListByUserAsync("u-1' OR 1=1 --", 1, null);
        Assert.Single(page.Items);
        Assert.Equal("next", page.ContinuationToken);
        Assert.Contains("ORDER BY c.startedMs DESC", seen!.QueryText, StringComparison.Ordinal);
        Assert.DoesNotContain("OR 1=1", seen.QueryText, StringComparison.Ordinal);
        Assert.Contains(seen.GetQueryParameters(), p => p.Name == "@user" && (string)p.Value == "u-1' OR 1=1 --");
    }
}
