using System.Net;
using CloneAI.Azure.Cosmos;
using CloneAI.Core.Domain;
using Microsoft.Azure.Cosmos;
using User = CloneAI.Core.Domain.User;

namespace CloneAI.Azure.Tests.Cosmos;

internal static class CosmosMocks
{
    public static ItemResponse<T> Item<T>(T resource, string etag = "\"etag-1\"", HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = new Mock<ItemResponse<T>>();
        response.Setup(r => r.Resource).Returns(resource);
        response.Setup(r => r.ETag).Returns(etag);
        response.Setup(r => r.StatusCode).Returns(status);
        return response.Object;
    }

    public static CosmosException Error(HttpStatusCode status) => new($"Cosmos said {(int)status}", status, 0, "activity-id", 1.0);

    /// <summary>An iterator that yields one page, then ends.</summary>
    public static FeedIterator<T> Feed<T>(IReadOnlyList<T> items, string? continuationToken = null)
    {
        var page = new Mock<FeedResponse<T>>();
        page.Setup(p => p.Resource).Returns(items);
        page.Setup(p => p.ContinuationToken).Returns(continuationToken!);
        page.Setup(p => p.Count).Returns(items.Count);
        page.Setup(p => p.GetEnumerator()).Returns(() => items.GetEnumerator());
        var iterator = new Mock<FeedIterator<T>>();
        iterator.SetupSequence(i => i.HasMoreResults).Returns(true).Returns(false);
        iterator.Setup(i => i.ReadNextAsync(It.IsAny<CancellationToken>())).ReturnsAsync(page.Object);
        return iterator.Object;
    }

    /// <summary>A batch response with one result per operation (ETags "b0", "b1"…), failed unless every status is 2xx.</summary>
    public static TransactionalBatchResponse BatchResponse(HttpStatusCode[] statuses)
    {
        var success = statuses.All(s => (int)s is >= 200 and < 300);
        var results = statuses.Select((s, i) =>
        {
            var result = new Mock<TransactionalBatchOperationResult>();
            result.Setup(r => r.StatusCode).Returns(s);
            result.Setup(r => r.IsSuccessStatusCode).Returns((int)s is >= 200 and < 300);
            result.Setup(r => r.ETag).Returns($"\"b{i}\"");
            return result.Object;
        }).ToList();
        var response = new Mock<TransactionalBatchResponse>();
        response.Setup(r => r.IsSuccessStatusCode).Returns(success);
        response.Setup(r => r.StatusCode).Returns(success ? HttpStatusCode.OK : statuses.First(s => (int)s >= 300 && s != HttpStatusCode.FailedDependency));
        response.Setup(r => r.Count).Returns(results.Count);
        response.Setup(r => r[It.IsAny<int>()]).Returns((int i) => results[i]);
        response.Setup(r => r.ErrorMessage).Returns("batch failed");
        response.Setup(r => r.ActivityId).Returns("activity");
        return response.Object;
    }

    public static bool Is(PartitionKey? actual, string expected) => actual == new PartitionKey(expected);

    public static User User(string id = "user-1", string email = "ada@example.com", string? etag = null) => new()
    {
        Id = id,
        Email = email,
        DisplayName = "Ada",
        Expertise = ["math"],
        CreatedAt = DateTimeOffset.Parse("2025-01-01T00:00:00Z"),
        UpdatedAt = DateTimeOffset.Parse("2025-01-01T00:00:00Z"),
        ETag = etag,
    };

    public static Clone Clone(string id = "clone-1", string slug = "ada-bot", string? etag = null) => new()
    {
        Id = id,
        Slug = slug,
        OwnerId = "user-1",
        Name = "Ada Bot",
        Category = "science",
        Tags = ["math", "history"],
        Status = CloneStatus.Published,
        Pricing = new Pricing { PerMinute = 150 },
        CreatedAt = DateTimeOffset.Parse("2025-01-01T00:00:00Z"),
        UpdatedAt = DateTimeOffset.Parse("2025-01-01T00:00:00Z"),
        ETag = etag,
    };

    public static Reservation Reservation(string id, string ownerId, string kind, DateTimeOffset reservedAt, string etag = "\"r-1\"") =>
        new() { Id = id, OwnerId = ownerId, Kind = kind, ReservedAt = reservedAt, ETag = etag };
}
