using CloneAI.Azure.Admin;
using CloneAI.Core.Domain;
using Microsoft.Azure.Cosmos;
using static CloneAI.Azure.Tests.Cosmos.CosmosMocks;
using User = CloneAI.Core.Domain.User;

namespace CloneAI.Azure.Tests.Audit;

/// <summary>The admin console's searches in Cosmos: the text is always a parameter, never part of the query.</summary>
public sealed class CosmosDirectoriesTests
{
    private static (Mock<Container> Container, List<QueryDefinition> Queries) Capture<T>()
    {
        var container = new Mock<Container>(MockBehavior.Strict);
        var queries = new List<QueryDefinition>();
        container.Setup(c => c.GetItemQueryIterator<T>(It.IsAny<QueryDefinition>(), It.IsAny<string>(), It.IsAny<QueryRequestOptions>()))
            .Returns((QueryDefinition q, string _, QueryRequestOptions _) =>
            {
                queries.Add(q);
                return Feed<T>([]);
            });
        return (container, queries);
    }

    private static Dictionary<string, object> Parameters(QueryDefinition q) => q.GetQueryParameters().ToDictionary(p => p.Name, p => p.Value);

    [Fact]
    public async Task UsersAreFoundByEmailOrNameWithoutTheEmailReservations()
    {
        var (container, queries) = Capture<User>();
        const string hostile = "x' OR 1=1 --";

        await new CosmosUserDirectory(container.Object).SearchAsync(hostile, 20, null);

        var q = Assert.Single(queries);
        Assert.Equal("SELECT * FROM c WHERE NOT STARTSWITH(c.id, @reservation) AND IS_DEFINED(c.email) AND (CONTAINS(c.email, @q, true) OR CONTAINS(c.displayName, @q, true)) ORDER BY c.createdAt DESC", q.QueryText);
        Assert.Equal(hostile, Parameters(q)["@q"]);
        Assert.Equal("email|", Parameters(q)["@reservation"]);
    }

    [Fact]
    public async Task ClonesAreFoundInAnyStateButDeleted()
    {
        var (container, queries) = Capture<Clone>();

        await new CosmosCloneDirectory(container.Object).SearchAsync(null, null, 20, null);
        await new CosmosCloneDirectory(container.Object).SearchAsync("tides", CloneStatus.Draft, 20, null);

        Assert.Equal("SELECT * FROM c WHERE c.status != @deleted ORDER BY c.createdAt DESC", queries[0].QueryText);
        Assert.Equal("SELECT * FROM c WHERE c.status != @deleted AND c.status = @status AND (CONTAINS(c.name, @q, true) OR CONTAINS(c.slug, @q, true) OR CONTAINS(c.ownerName, @q, true) OR c.id = @q) ORDER BY c.createdAt DESC", queries[1].QueryText);
        Assert.Equal(("deleted", "draft", "tides"), ((string)Parameters(queries[1])["@deleted"], (string)Parameters(queries[1])["@status"], (string)Parameters(queries[1])["@q"]));
    }
}
