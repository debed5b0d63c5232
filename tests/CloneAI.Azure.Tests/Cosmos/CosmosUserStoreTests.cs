using System.Net;
using CloneAI.Azure.Cosmos;
using CloneAI.Core.Errors;
using Microsoft.Azure.Cosmos;
using CloneAI.Azure.Users;
using static CloneAI.Azure.Tests.Cosmos.CosmosMocks;
using User = CloneAI.Core.Domain.User;

namespace CloneAI.Azure.Tests.Cosmos;

public sealed class CosmosUserStoreTests
{
    private readonly Mock<Container> _users = new(MockBehavior.Strict);
    private readonly CosmosUserStore _store;

    public CosmosUserStoreTests() => _store = new CosmosUserStore(_users.Object);

    [Fact]
    public async Task GettingAUserIsAPointReadInItsOwnPartition()
    {
        _users.Setup(c => c.ReadItemAsync<User>("user-1", It.Is<PartitionKey>(pk => pk == new PartitionKey("user-1")), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(User(), "\"v7\""));

        var user = await _store.GetAsync("user-1");

        Assert.Equal("user-1", user!.Id);
        Assert.Equal("\"v7\"", user.ETag);
    }

    [Fact]
    public async Task AMissingUserIsNull()
    {
        _users.Setup(c => c.ReadItemAsync<User>("ghost", It.IsAny<PartitionKey>(), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.NotFound));

        Assert.Null(await _store.GetAsync("ghost"));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a?b")]
    [InlineData("")]
    public async Task IdsCosmosCannotHoldAreMissesWithoutARequest(string id) =>
        Assert.Null(await _store.GetAsync(id));

    [Fact]
    public async Task EmailReservationsAreNeverReadAsUsers() =>
        Assert.Null(await _store.GetAsync(CosmosUserStore.EmailReservationId("ada@example.com")));

    [Fact]
    public async Task FindingByEmailIsAParameterisedQueryWithoutTheEmailInItsText()
    {
        QueryDefinition? query = null;
        _users.Setup(c => c.GetItemQueryIterator<User>(It.IsAny<QueryDefinition>(), null, It.IsAny<QueryRequestOptions>()))
            .Callback<QueryDefinition, string, QueryRequestOptions>((q, _, _) => query = q)
            .Returns(Feed<User>([User() with { ETag = "\"q1\"" }]));

        var user = await _store.FindByEmailAsync("  Ada@Example.com' OR 1=1 --");

        Assert.Equal("SELECT * FROM c WHERE c.email = @email", query!.QueryText);
        Assert.DoesNotContain("example", query.QueryText, StringComparison.OrdinalIgnoreCase);
        var parameter = Assert.Single(query.GetQueryParameters());
        Assert.Equal("@email", parameter.Name);
        Assert.Equal("ada@example.com' or 1=1 --", parameter.Value);
        Assert.Equal("\"q1\"", user!.ETag);
    }

    [Fact]
    public async Task FindingAnUnknownEmailIsNull()
    {
        _users.Setup(c => c.GetItemQueryIterator<User>(It.IsAny<QueryDefinition>(), null, It.IsAny<QueryRequestOptions>()))
            .Returns(Feed<User>([]));

        Assert.Null(await _store.FindByEmailAsync("nobody@example.com"));
    }

    [Fact]
    public async Task CreatingReservesTheEmailThenCreatesTheUserInItsPartition()
    {
        var reservationId = CosmosUserStore.EmailReservationId("ada@example.com");
        _users.Setup(c => c.CreateItemAsync(It.Is<Reservation>(r => r.Id == reservationId && r.OwnerId == "user-1" && r.Kind == "email"),
                It.Is<PartitionKey?>(pk => Is(pk, reservationId)), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync((Reservation r, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => Item(r));
        _users.Setup(c => c.CreateItemAsync(It.Is<User>(u => u.Id == "user-1"), It.Is<PartitionKey?>(pk => Is(pk, "user-1")), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync((User u, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => Item(u, "\"created\"", HttpStatusCode.Created));

        var created = await _store.CreateAsync(User());

        Assert.Equal("\"created\"", created.ETag);
        Assert.StartsWith("email|", reservationId);
        Assert.DoesNotContain("@", reservationId);
        _users.VerifyAll();
    }

    [Fact]
    public async Task CreatingAUserWhoseIdExistsIsAConflictAndFreesTheEmailAgain()
    {
        var reservationId = CosmosUserStore.EmailReservationId("ada@example.com");
        _users.Setup(c => c.CreateItemAsync(It.IsAny<Reservation>(), It.IsAny<PartitionKey?>(), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync((Reservation r, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => Item(r));
        _users.Setup(c => c.CreateItemAsync(It.IsAny<User>(), It.IsAny<PartitionKey?>(), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.Conflict));
        _users.Setup(c => c.ReadItemAsync<Reservation>(reservationId, It.Is<PartitionKey>(pk => pk == new PartitionKey(reservationId)), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(Reservation(reservationId, "user-1", "email", DateTimeOffset.UtcNow), "\"r9\""));
        _users.Setup(c => c.DeleteItemAsync<Reservation>(reservationId, It.Is<PartitionKey>(pk => pk == new PartitionKey(reservationId)),
                It.Is<ItemRequestOptions>(o => o.IfMatchEtag == "\"r9\""), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item<Reservation>(null!, "", HttpStatusCode.NoContent));

        await Assert.ThrowsAsync<ConflictException>(() => _store.CreateAsync(User()));

        _users.Verify(c => c.DeleteItemAsync<Reservation>(reservationId, It.IsAny<PartitionKey>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task CreatingAUserWithAnEmailSomeoneHoldsIsAConflict()
    {
        var reservationId = CosmosUserStore.EmailReservationId("ada@example.com");
        _users.Setup(c => c.CreateItemAsync(It.IsAny<Reservation>(), It.IsAny<PartitionKey?>(), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.Conflict));
        _users.Setup(c => c.ReadItemAsync<Reservation>(reservationId, It.IsAny<PartitionKey>(), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(Reservation(reservationId, "someone-else", "email", DateTimeOffset.UtcNow.AddDays(-1))));
        _users.Setup(c => c.ReadItemAsync<User>("someone-else", It.IsAny<PartitionKey>(), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(User("someone-else")));

        var e = await Assert.ThrowsAsync<ConflictException>(() => _store.CreateAsync(User()));

        Assert.Equal(409, e.Status);
        _users.Verify(c => c.CreateItemAsync(It.IsAny<User>(), It.IsAny<PartitionKey?>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AnAbandonedEmailReservationIsTakenOverWithItsETag()
    {
        var reservationId = CosmosUserStore.EmailReservationId("ada@example.com");
        _users.Setup(c => c.CreateItemAsync(It.IsAny<Reservation>(), It.IsAny<PartitionKey?>(), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.Conflict));
        _users.Setup(c => c.ReadItemAsync<Reservation>(reservationId, It.IsAny<PartitionKey>(), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Item(Reservation(reservationId, "crashed", "email", DateTimeOffset.UtcNow.AddHours(-1)), "\"stale\""));
        _users.Setup(c => c.ReadItemAsync<User>("crashed", It.IsAny<PartitionKey>(), null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.NotFound));
        _users.Setup(c => c.ReplaceItemAsync(It.Is<Reservation>(r => r.OwnerId == "user-1"), reservationId, It.Is<PartitionKey?>(pk => Is(pk, reservationId)),
                It.Is<ItemRequestOptions>(o => o.IfMatchEtag == "\"stale\""), It.IsAny<CancellationToken>()))
            .ReturnsAsync((Reservation r, string _, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => Item(r));
        _users.Setup(c => c.CreateItemAsync(It.IsAny<User>(), It.IsAny<PartitionKey?>(), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync((User u, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => Item(u));

        var created = await _store.CreateAsync(User());

        Assert.Equal("user-1", created.Id);
        _users.VerifyAll();
    }

    [Fact]
    public async Task ReplacingIsConditionalOnTheRecordsETagAndReturnsTheNewOne()
    {
        _users.Setup(c => c.ReplaceItemAsync(It.IsAny<User>(), "user-1", It.Is<PartitionKey?>(pk => Is(pk, "user-1")),
                It.Is<ItemRequestOptions>(o => o.IfMatchEtag == "\"v1\""), It.IsAny<CancellationToken>()))
            .ReturnsAsync((User u, string _, PartitionKey? _, ItemRequestOptions _, CancellationToken _) => Item(u, "\"v2\""));

        var replaced = await _store.ReplaceAsync(User(etag: "\"v1\"") with { DisplayName = "Ada L." });

        Assert.Equal("\"v2\"", replaced.ETag);
        Assert.Equal("Ada L.", replaced.DisplayName);
    }

    [Fact]
    public async Task ReplacingAUserSomeoneElseChangedIsAConflict()
    {
        _users.Setup(c => c.ReplaceItemAsync(It.IsAny<User>(), "user-1", It.IsAny<PartitionKey?>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.PreconditionFailed));

        var e = await Assert.ThrowsAsync<ConflictException>(() => _store.ReplaceAsync(User(etag: "\"old\"")));

        Assert.Equal(409, e.Status);
        Assert.Contains("changed by someone else", e.Message);
    }

    [Fact]
    public async Task ReplacingAUserThatIsGoneIsNotFound()
    {
        _users.Setup(c => c.ReplaceItemAsync(It.IsAny<User>(), "user-1", It.IsAny<PartitionKey?>(), It.IsAny<ItemRequestOptions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(HttpStatusCode.NotFound));

        await Assert.ThrowsAsync<NotFoundException>(() => _store.ReplaceAsync(User(etag: "\"old\"")));
    }
}
