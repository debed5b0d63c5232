using CloneAI.Azure.Chat;
using CloneAI.Azure.Cosmos;
using CloneAI.Core.Recommendations;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Recommendations;

/// <summary>
/// Who used which clone, from the session documents of the <c>sessions</c> container (partitioned by <c>/sessionId</c>, see
/// <see cref="CosmosSessionStore"/>), projected to five fields and aggregated here. Both reads are cross-partition queries, as
/// the user's session list already is: one user's (filtered on <c>userId</c>), and everyone's newest sessions since a time
/// (filtered and ordered on <c>startedMs</c>), which the recommender reads at most once per
/// <c>Recommendations:SnapshotSeconds</c> per instance. Previews are left out by the session's flag.
/// </summary>
public sealed class CosmosCloneUsageReader(Container sessions) : ICloneUsageReader
{
    private const string Projection =
        "c.userId, c.cloneId, c.startedMs, c.session.messageCount AS messages, c.session.rating AS rating";

    private const string NotPreview = "(NOT IS_DEFINED(c.session.preview) OR c.session.preview = false)";

    /// <summary>One session as the query projects it.</summary>
    public sealed record UsageRow(string UserId, string CloneId, long StartedMs, int? Messages, int? Rating);

    public async Task<IReadOnlyList<CloneUse>> ForUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition($"SELECT {Projection} FROM c WHERE c.type = @type AND c.userId = @user AND {NotPreview}")
            .WithParameter("@type", CosmosSessionStore.SessionType).WithParameter("@user", userId);
        var rows = await CosmosPaging.ReadAllAsync<UsageRow>(sessions, query, null, cancellationToken);
        return CloneUses.Aggregate(rows.Where(r => r.UserId == userId).Select(Row));
    }

    public async Task<IReadOnlyList<CloneUse>> ListSinceAsync(DateTimeOffset since, int max, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition(
                $"SELECT TOP @max {Projection} FROM c WHERE c.type = @type AND c.startedMs >= @since AND {NotPreview} ORDER BY c.startedMs DESC")
            .WithParameter("@max", max).WithParameter("@type", CosmosSessionStore.SessionType).WithParameter("@since", since.ToUnixTimeMilliseconds());
        var rows = await CosmosPaging.ReadAllAsync<UsageRow>(sessions, query, null, cancellationToken);
        return CloneUses.Aggregate(rows.Select(Row));
    }

    private static CloneUses.SessionRow Row(UsageRow r) =>
        new(r.UserId, r.CloneId, r.Messages ?? 0, r.Rating, DateTimeOffset.FromUnixTimeMilliseconds(r.StartedMs));
}
