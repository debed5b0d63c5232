using Azure.Identity;
using CloneAI.Azure.Cosmos;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Options;
using CloneAI.Azure.Clones;
using CloneAI.Azure.Users;

namespace CloneAI.Azure.Tests.Smoke;

/// <summary>
/// Against a real Cosmos account (COSMOS_ENDPOINT, signed in with DefaultAzureCredential, or COSMOS_CONNECTION_STRING
/// as well for the emulator) whose database "cloneai" has the containers users, clones and slugs. Skipped otherwise.
/// </summary>
public sealed class CosmosSmokeTests
{
    [AzureFact("COSMOS_ENDPOINT")]
    public async Task AUserAndACloneRoundTripThroughARealAccount()
    {
        var options = new CosmosOptions
        {
            Endpoint = new Uri(Environment.GetEnvironmentVariable("COSMOS_ENDPOINT")!),
            ConnectionString = Environment.GetEnvironmentVariable("COSMOS_CONNECTION_STRING"),
            GatewayMode = Environment.GetEnvironmentVariable("COSMOS_GATEWAY_MODE") == "true",
        };
        using var client = DependencyInjection.CreateCosmosClient(options, new DefaultAzureCredential());
        var containers = new CosmosContainers(client, Options.Create(options));
        var users = new CosmosUserStore(containers.Users);
        var clones = new CosmosCloneStore(containers.Clones, containers.Slugs, containers.Database);
        var run = Guid.NewGuid().ToString("N");

        Assert.True(await clones.PingAsync());

        var user = await users.CreateAsync(new User
        {
            Id = "smoke-" + run,
            Email = $"smoke-{run}@example.com",
            DisplayName = "Smoke",
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        });
        Assert.NotNull(user.ETag);
        Assert.Equal(user.Id, (await users.FindByEmailAsync(user.Email))?.Id);
        await Assert.ThrowsAsync<ConflictException>(() => users.CreateAsync(user with { Id = "other-" + run }));
        var renamed = await users.ReplaceAsync(user with { DisplayName = "Smoke 2" });
        Assert.NotEqual(user.ETag, renamed.ETag);
        await Assert.ThrowsAsync<ConflictException>(() => users.ReplaceAsync(user with { DisplayName = "stale" }));

        var clone = await clones.CreateAsync(new Clone
        {
            Id = "smoke-" + run,
            Slug = "smoke-" + run,
            OwnerId = user.Id,
            Name = "Smoke clone",
            Category = "science",
            Tags = ["smoke"],
            Status = CloneStatus.Published,
            PublishedAt = DateTimeOffset.UtcNow,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        });
        Assert.Equal(clone.Id, (await clones.GetBySlugAsync(clone.Slug))?.Id);
        var found = await clones.SearchPublishedAsync(new MarketplaceQuery { Query = "SMOKE clone", Sort = MarketplaceSort.Newest });
        Assert.Contains(found.Items, c => c.Id == clone.Id);
        var moved = await clones.ReplaceAsync(clone with { Slug = "smoke2-" + run, Status = CloneStatus.Deleted }, clone.Slug);
        Assert.Null(await clones.GetBySlugAsync(clone.Slug));
        Assert.Equal(moved.Id, (await clones.GetBySlugAsync(moved.Slug))?.Id);
        Assert.DoesNotContain((await clones.ListByOwnerAsync(user.Id, 10, null)).Items, c => c.Id == clone.Id);
    }
}
