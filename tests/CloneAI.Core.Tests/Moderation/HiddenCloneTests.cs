using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Recommendations;
using CloneAI.Core.Tests.Recommendations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CloneAI.Core.Tests.Moderation;

/// <summary>A clone hidden by moderation: out of recommendations and its public page, still its owner's and admins'.</summary>
public sealed class HiddenCloneTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AHiddenCloneIsNeverRecommended()
    {
        Clone[] catalogue = [RecommendationBlendTests.Clone("shown"), RecommendationBlendTests.Clone("hidden") with { HiddenAt = Now, HiddenReason = "Reported" }];
        var usage = new UsageIndex([new CloneUse("a", "hidden", 9, 27, null, Now), new CloneUse("b", "hidden", 9, 27, null, Now), new CloneUse("a", "shown", 1, 3, null, Now)]);

        var list = RecommendationBlend.Rank("newcomer", [], catalogue, usage, null, new RecommendationOptions(), 10);

        Assert.Equal(["shown"], list.Items.Select(r => r.Recommended.Id));
    }

    [Fact]
    public async Task AHiddenClonesPageIsOnlyForItsOwnerAndAdmins()
    {
        var hidden = new Clone { Id = "c1", Slug = "c1", OwnerId = "owner", Name = "C", Category = "science", Status = CloneStatus.Published, HiddenAt = Now };
        var store = new Mock<ICloneStore>();
        store.Setup(s => s.GetAsync("c1", It.IsAny<CancellationToken>())).ReturnsAsync(hidden);
        var service = new CloneService(store.Object, new FakeTimeProvider(Now), NullLogger<CloneService>.Instance);

        await Assert.ThrowsAsync<NotFoundException>(() => service.GetAsync(null, "c1"));
        await Assert.ThrowsAsync<NotFoundException>(() => service.GetAsync(new Caller("u", "u@example.com", "U", false, false), "c1"));
        Assert.Same(hidden, await service.GetAsync(new Caller("owner", "o@example.com", "O", false, true), "c1"));
        Assert.Same(hidden, await service.GetAsync(new Caller("admin", "a@example.com", "A", true, false), "c1"));
    }
}
