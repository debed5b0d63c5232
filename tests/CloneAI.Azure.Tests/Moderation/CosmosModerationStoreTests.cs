using CloneAI.Azure.Moderation;
using CloneAI.Azure.Tests.Cosmos;
using CloneAI.Core.Errors;
using CloneAI.Core.Moderation;

namespace CloneAI.Azure.Tests.Moderation;

/// <summary>
/// Reports (an <see cref="InMemoryContainer"/> partitioned by <c>/cloneId</c>) and verification requests (by <c>/userId</c>):
/// a repeat is idempotent, a clone's open reports are read in its partition, and the queue, a reporter's own reports and
/// erasing them work across partitions.
/// </summary>
public sealed class CosmosModerationStoreTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
    private readonly InMemoryContainer _reports = new("cloneId", typeof(Report));
    private readonly InMemoryContainer _verifications = new("userId", typeof(VerificationRequest));

    private static Report NewReport(string id, string clone, string reporter, int minutes = 0) => new()
    {
        Id = id, CloneId = clone, CloneOwnerId = "owner", ReporterId = reporter, Reason = ReportReasons.Spam, Details = "d", CreatedAt = At.AddMinutes(minutes),
    };

    [Fact]
    public async Task AReportIsStoredOnceAndARepeatReturnsTheStoredOne()
    {
        var store = new CosmosReportStore(_reports.Object);
        var (first, created) = await store.AddAsync(NewReport("r-1", "c-1", "u-1"));
        var (again, createdAgain) = await store.AddAsync(NewReport("r-1", "c-1", "u-1") with { Details = "changed" });
        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal("d", again.Details);
        Assert.Equal(first.Id, (await store.GetAsync("r-1"))!.Id);
        Assert.Null(await store.GetAsync("r-2"));
    }

    [Fact]
    public async Task OpenReportsAreListedPerCloneAndInTheQueueOldestFirstAndResolvingTakesThemOut()
    {
        var store = new CosmosReportStore(_reports.Object);
        await store.AddAsync(NewReport("r-2", "c-1", "u-2", minutes: 2));
        await store.AddAsync(NewReport("r-1", "c-1", "u-1", minutes: 1));
        await store.AddAsync(NewReport("r-3", "c-2", "u-1", minutes: 3));

        Assert.Equal(["r-1", "r-2"], (await store.ListOpenForCloneAsync("c-1")).Select(r => r.Id));
        Assert.Equal(["r-1", "r-2", "r-3"], (await store.ListAsync(ReportStatus.Open, 10, null)).Items.Select(r => r.Id));
        await store.UpdateAsync((await store.GetAsync("r-1"))! with { Status = ReportStatus.Dismissed });
        Assert.Equal(["r-2"], (await store.ListOpenForCloneAsync("c-1")).Select(r => r.Id));
        Assert.Equal(["r-1"], (await store.ListAsync(ReportStatus.Dismissed, 10, null)).Items.Select(r => r.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => store.UpdateAsync(NewReport("r-9", "c-1", "u-1")));
    }

    [Fact]
    public async Task AReportersOwnReportsAreListedNewestFirstAndErasedAcrossClones()
    {
        var store = new CosmosReportStore(_reports.Object);
        await store.AddAsync(NewReport("r-1", "c-1", "u-1", minutes: 1));
        await store.AddAsync(NewReport("r-2", "c-2", "u-1", minutes: 2));
        await store.AddAsync(NewReport("r-3", "c-2", "u-2", minutes: 3));

        Assert.Equal(["r-2", "r-1"], (await store.ListByReporterAsync("u-1", 10)).Select(r => r.Id));
        await store.DeleteByReporterAsync("u-1");
        Assert.Empty(await store.ListByReporterAsync("u-1", 10));
        Assert.Equal(["r-3"], (await store.ListAsync(ReportStatus.Open, 10, null)).Items.Select(r => r.Id));
    }

    [Fact]
    public async Task VerificationRequestsAreUniqueByIdListedPerUserAndByStatusAndErased()
    {
        var store = new CosmosVerificationStore(_verifications.Object);
        var request = new VerificationRequest { Id = "v-1", UserId = "u-1", Links = ["https://example.com"], Statement = "s", CreatedAt = At };
        await store.CreateAsync(request);
        await Assert.ThrowsAsync<ConflictException>(() => store.CreateAsync(request));
        await store.CreateAsync(request with { Id = "v-2", UserId = "u-2", CreatedAt = At.AddMinutes(1) });

        Assert.Equal(["v-1", "v-2"], (await store.ListAsync(VerificationStatus.Pending, 10, null)).Items.Select(r => r.Id));
        await store.UpdateAsync(request with { Status = VerificationStatus.Approved });
        Assert.Equal(VerificationStatus.Approved, (await store.GetAsync("v-1"))!.Status);
        Assert.Equal(["v-1"], (await store.ListByUserAsync("u-1")).Select(r => r.Id));
        await store.DeleteByUserAsync("u-1");
        Assert.Empty(await store.ListByUserAsync("u-1"));
        Assert.Null(await store.GetAsync("v-1"));
    }
}
