using System.Net;
using CloneAI.Azure.Cosmos;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Azure.Cosmos;
using CloneAI.Azure.Clones;
using static CloneAI.Azure.Tests.Cosmos.CosmosMocks;

namespace CloneAI.Azure.Tests.Cosmos;

public sealed class CosmosCloneStoreTests
{
    private readonly Mock<Container> _clones = new(MockBehavior.Strict);
    private readonly Mock<Container> _slugs = new(MockBehavior.Strict);
    private readonly Mock<Database> _database = new(MockBehavior.Strict);
    private readonly CosmosCloneStore _store;

    public CosmosCloneStoreTests() => _store = new CosmosCloneStore(_clones.Object, _slugs.Object, _database.Object);

    private void SlugCreateSucceeds(string slug) =>
        _slugs.Setup(c => c.CreateItemAsync(It.Is<Reservation>(r => r.Id == slug), It.Is<PartitionKey?>(pk => Is(pk, slug)), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync((Reservation r, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => Item(r, "\"s1\"", HttpStatusCode.Created));

    private void SlugReleases(string slug, string ownerId)
    {
        _slugs.Setup(c => c.ReadItemAsync<Reservation>(slug, It.Is<PartitionKey>(pk => pk == new PartitionKey(slug)), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(Reservation(slug, ownerId, "slug", DateTimeOffset.UtcNow), "\"s1\""));
        _slugs.Setup(c => c.DeleteItemAsync<Reservation>(slug, It.Is<PartitionKey>(pk => pk == new PartitionKey(slug)),
                It.Is<ItemRequestOptions>(o => o.IfMatchEtag == "\"s1\""), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item<Reservation>(null!, "", HttpStatusCode.NoContent));
    }

    private List<(QueryDefinition Query, string? Token, QueryRequestOptions Options)> CaptureQueries(params FeedIterator<Clone>[] pages)
    {
        var calls = new List<(QueryDefinition, string?, QueryRequestOptions)>();
        var queue = new Queue<FeedIterator<Clone>>(pages);
        _clones.Setup(c => c.GetItemQueryIterator<Clone>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Callback<QueryDefinition, string, QueryRequestOptions>((q, t, o) => calls.Add((q, t, o)))
            .Returns(() => queue.Dequeue());
        return calls;
    }

    [Fact]
    public async Task GettingACloneIsAPointReadInItsOwnPartition()
    {
        _clones.Setup(c => c.ReadItemAsync<Clone>("clone-1", It.Is<PartitionKey>(pk => pk == new PartitionKey("clone-1")), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(Clone(), "\"c1\""));

        var clone = await _store.GetAsync("clone-1");

        Assert.Equal("\"c1\"", clone!.ETag);
    }

    [Fact]
    public async Task AMissingCloneIsNull()
    {
        _clones.Setup(c => c.ReadItemAsync<Clone>("nope", It.IsAny<PartitionKey>(), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.NotFound));

        Assert.Null(await _store.GetAsync("nope"));
    }

    [Fact]
    public async Task GettingBySlugReadsTheReservationThenTheClone()
    {
        _slugs.Setup(c => c.ReadItemAsync<Reservation>("ada-bot", It.Is<PartitionKey>(pk => pk == new PartitionKey("ada-bot")), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(Reservation("ada-bot", "clone-1", "slug", DateTimeOffset.UtcNow)));
        _clones.Setup(c => c.ReadItemAsync<Clone>("clone-1", It.Is<PartitionKey>(pk => pk == new PartitionKey("clone-1")), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(Clone()));

        Assert.Equal("clone-1", (await _store.GetBySlugAsync("ada-bot"))!.Id);
    }

    [Fact]
    public async Task AnUnknownSlugIsNull()
    {
        _slugs.Setup(c => c.ReadItemAsync<Reservation>("nothing", It.IsAny<PartitionKey>(), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.NotFound));

        Assert.Null(await _store.GetBySlugAsync("nothing"));
    }

    [Fact]
    public async Task ALeftoverSlugOfARenamedCloneFindsNothing()
    {
        _slugs.Setup(c => c.ReadItemAsync<Reservation>("old-name", It.IsAny<PartitionKey>(), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(Reservation("old-name", "clone-1", "slug", DateTimeOffset.UtcNow)));
        _clones.Setup(c => c.ReadItemAsync<Clone>("clone-1", It.IsAny<PartitionKey>(), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(Clone(slug: "new-name")));

        Assert.Null(await _store.GetBySlugAsync("old-name"));
    }

    [Fact]
    public async Task CreatingReservesTheSlugThenCreatesTheCloneInItsPartition()
    {
        SlugCreateSucceeds("ada-bot");
        _clones.Setup(c => c.CreateItemAsync(It.Is<Clone>(x => x.Id == "clone-1"), It.Is<PartitionKey?>(pk => Is(pk, "clone-1")), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync((Clone x, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => Item(x, "\"new\"", HttpStatusCode.Created));

        var created = await _store.CreateAsync(Clone());

        Assert.Equal("\"new\"", created.ETag);
        _slugs.Verify(c => c.CreateItemAsync(It.Is<Reservation>(r => r.OwnerId == "clone-1" && r.Kind == "slug"), It.IsAny<PartitionKey?>(), null, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task CreatingWithATakenSlugIsAConflictAndWritesNoClone()
    {
        _slugs.Setup(c => c.CreateItemAsync(It.IsAny<Reservation>(), It.IsAny<PartitionKey?>(), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.Conflict));
        _slugs.Setup(c => c.ReadItemAsync<Reservation>("ada-bot", It.IsAny<PartitionKey>(), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(Reservation("ada-bot", "clone-other", "slug", DateTimeOffset.UtcNow)));

        var e = await Assert.ThrowsAsync<ConflictException>(() => _store.CreateAsync(Clone()));

        Assert.Equal(409, e.Status);
        Assert.Contains("slug", e.Message);
        _clones.Verify(c => c.CreateItemAsync(It.IsAny<Clone>(), It.IsAny<PartitionKey?>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AFailedCloneCreateReleasesTheSlugItReserved()
    {
        SlugCreateSucceeds("ada-bot");
        SlugReleases("ada-bot", "clone-1");
        _clones.Setup(c => c.CreateItemAsync(It.IsAny<Clone>(), It.IsAny<PartitionKey?>(), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.ServiceUnavailable));

        await Assert.ThrowsAsync<CosmosException>(() => _store.CreateAsync(Clone()));

        _slugs.Verify(c => c.DeleteItemAsync<Reservation>("ada-bot", It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task CreatingACloneWhoseIdExistsIsAConflict()
    {
        SlugCreateSucceeds("ada-bot");
        SlugReleases("ada-bot", "clone-1");
        _clones.Setup(c => c.CreateItemAsync(It.IsAny<Clone>(), It.IsAny<PartitionKey?>(), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.Conflict));

        await Assert.ThrowsAsync<ConflictException>(() => _store.CreateAsync(Clone()));
    }

    [Fact]
    public async Task ReplacingIsConditionalOnTheRecordsETag()
    {
        _clones.Setup(c => c.ReplaceItemAsync(It.IsAny<Clone>(), "clone-1", It.Is<PartitionKey?>(pk => Is(pk, "clone-1")),
                It.Is<ItemRequestOptions>(o => o.IfMatchEtag == "\"v1\""), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Clone x, string _, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => Item(x, "\"v2\""));

        var replaced = await _store.ReplaceAsync(Clone(etag: "\"v1\"") with { Name = "Ada 2" }, previousSlug: null);

        Assert.Equal("\"v2\"", replaced.ETag);
        _slugs.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task AStaleReplaceIsAConflict()
    {
        _clones.Setup(c => c.ReplaceItemAsync(It.IsAny<Clone>(), "clone-1", It.IsAny<PartitionKey?>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.PreconditionFailed));

        var e = await Assert.ThrowsAsync<ConflictException>(() => _store.ReplaceAsync(Clone(etag: "\"old\""), null));

        Assert.Contains("changed by someone else", e.Message);
    }

    [Fact]
    public async Task ARenameReservesTheNewSlugAndReleasesTheOldOne()
    {
        SlugCreateSucceeds("ada-two");
        SlugReleases("ada-bot", "clone-1");
        _clones.Setup(c => c.ReplaceItemAsync(It.Is<Clone>(x => x.Slug == "ada-two"), "clone-1", It.IsAny<PartitionKey?>(),
                It.Is<ItemRequestOptions>(o => o.IfMatchEtag == "\"v1\""), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Clone x, string _, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => Item(x, "\"v2\""));

        await _store.ReplaceAsync(Clone(slug: "ada-two", etag: "\"v1\""), previousSlug: "ada-bot");

        _slugs.Verify(c => c.DeleteItemAsync<Reservation>("ada-bot", It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()), Times.Once);
        _slugs.Verify(c => c.DeleteItemAsync<Reservation>("ada-two", It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AStaleRenameGivesTheNewSlugBackAndKeepsTheOld()
    {
        SlugCreateSucceeds("ada-two");
        SlugReleases("ada-two", "clone-1");
        _clones.Setup(c => c.ReplaceItemAsync(It.IsAny<Clone>(), "clone-1", It.IsAny<PartitionKey?>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.PreconditionFailed));

        await Assert.ThrowsAsync<ConflictException>(() => _store.ReplaceAsync(Clone(slug: "ada-two", etag: "\"v1\""), previousSlug: "ada-bot"));

        _slugs.Verify(c => c.DeleteItemAsync<Reservation>("ada-two", It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()), Times.Once);
        _slugs.Verify(c => c.DeleteItemAsync<Reservation>("ada-bot", It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task MarketplaceSearchPutsEveryCallerValueInParametersNeverInTheQueryText()
    {
        var calls = CaptureQueries(Feed<Clone>([Clone()], "next-page"));
        const string text = "robert'); DROP--";

        var page = await _store.SearchPublishedAsync(new MarketplaceQuery
        {
            Query = text,
            Category = "science' OR 1=1",
            MinPrice = 100,
            MaxPrice = 500,
            MinRating = 4.5,
            Sort = MarketplaceSort.Price,
            PageSize = 1,
        });

        var (query, token, options) = Assert.Single(calls);
        Assert.Null(token);
        Assert.Equal(1, options.MaxItemCount);
        Assert.DoesNotContain("robert", query.QueryText);
        Assert.DoesNotContain("science", query.QueryText);
        Assert.DoesNotContain("100", query.QueryText);
        Assert.DoesNotContain("4.5", query.QueryText);
        Assert.Contains("c.status = @status", query.QueryText);
        Assert.Contains("CONTAINS(c.name, @q, true)", query.QueryText);
        Assert.Contains("c.category = @category", query.QueryText);
        Assert.Contains("c.sortPrice >= @minPrice", query.QueryText);
        Assert.Contains("c.sortPrice <= @maxPrice", query.QueryText);
        Assert.Contains("c.rating >= @minRating", query.QueryText);
        Assert.EndsWith("ORDER BY c.sortPrice ASC", query.QueryText);
        var parameters = query.GetQueryParameters().ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal(CloneStatus.Published, parameters["@status"]);
        Assert.Equal(text, parameters["@q"]);
        Assert.Equal("science' OR 1=1", parameters["@category"]);
        Assert.Equal(100L, parameters["@minPrice"]);
        Assert.Equal(500L, parameters["@maxPrice"]);
        Assert.Equal(4.5, parameters["@minRating"]);
        Assert.Equal("next-page", page.ContinuationToken);
        Assert.Single(page.Items);
    }

    [Theory]
    [InlineData(MarketplaceSort.Popular, "ORDER BY c.featured DESC, c.sessionCount DESC")] // featured clones first in the default order
    [InlineData(MarketplaceSort.Rating, "ORDER BY c.rating DESC")]
    [InlineData(MarketplaceSort.Newest, "ORDER BY c.publishedAt DESC")]
    [InlineData(MarketplaceSort.Price, "ORDER BY c.sortPrice ASC")]
    public async Task EachSortOrdersByItsField(string sort, string orderBy)
    {
        var calls = CaptureQueries(Feed<Clone>([]));

        await _store.SearchPublishedAsync(new MarketplaceQuery { Sort = sort });

        var query = Assert.Single(calls).Query;
        Assert.EndsWith(orderBy, query.QueryText);
        Assert.Equal(["@status"], query.GetQueryParameters().Select(p => p.Name));
    }

    [Fact]
    public async Task ShortCrossPartitionPagesAreTopedUpAndTheLastContinuationIsReturned()
    {
        var calls = CaptureQueries(
            Feed<Clone>([], "t1"),
            Feed<Clone>([Clone("a", "a-a")], "t2"),
            Feed<Clone>([Clone("b", "b-b"), Clone("c", "c-c")], "t3"));

        var page = await _store.SearchPublishedAsync(new MarketplaceQuery { PageSize = 3, ContinuationToken = "t0" });

        Assert.Equal(["a", "b", "c"], page.Items.Select(c => c.Id));
        Assert.Equal("t3", page.ContinuationToken);
        Assert.Equal(["t0", "t1", "t2"], calls.Select(c => c.Token));
        Assert.Equal([3, 3, 2], calls.Select(c => c.Options.MaxItemCount));
    }

    [Fact]
    public async Task TheLastPageHasNoContinuation()
    {
        CaptureQueries(Feed<Clone>([Clone()], null));

        var page = await _store.SearchPublishedAsync(new MarketplaceQuery { PageSize = 20 });

        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public async Task AForgedContinuationTokenIsAValidationError()
    {
        _clones.Setup(c => c.GetItemQueryIterator<Clone>(It.IsAny<QueryDefinition>(), "garbage", It.IsAny<QueryRequestOptions>()))
            .Throws(Error(HttpStatusCode.BadRequest));

        var e = await Assert.ThrowsAsync<ValidationException>(() => _store.SearchPublishedAsync(new MarketplaceQuery { ContinuationToken = "garbage" }));

        Assert.Contains("continuationToken", e.Errors.Keys);
    }

    [Fact]
    public async Task ListingByOwnerIsParameterisedAndSkipsDeletedClones()
    {
        var calls = CaptureQueries(Feed<Clone>([Clone()], "more"));

        var page = await _store.ListByOwnerAsync("user-1' OR '1'='1", 1, null);

        var (query, _, options) = Assert.Single(calls);
        Assert.StartsWith("SELECT * FROM c WHERE c.ownerId = @ownerId AND c.status != @deleted", query.QueryText);
        Assert.DoesNotContain("user-1", query.QueryText);
        var parameters = query.GetQueryParameters().ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal("user-1' OR '1'='1", parameters["@ownerId"]);
        Assert.Equal(CloneStatus.Deleted, parameters["@deleted"]);
        Assert.Equal(1, options.MaxItemCount);
        Assert.Equal("more", page.ContinuationToken);
    }

    [Fact]
    public async Task PingReadsTheDatabase()
    {
        var response = new Mock<DatabaseResponse>();
        response.Setup(r => r.StatusCode).Returns(HttpStatusCode.OK);
        _database.Setup(d => d.ReadAsync(null, It.IsAny<CancellationToken>())).ReturnsAsync(response.Object);

        Assert.True(await _store.PingAsync());
    }

    [Fact]
    public async Task PingIsFalseWhenCosmosRefuses()
    {
        _database.Setup(d => d.ReadAsync(null, It.IsAny<CancellationToken>())).ThrowsAsync(Error(HttpStatusCode.Forbidden));

        Assert.False(await _store.PingAsync());
    }
}
