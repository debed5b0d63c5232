using CloneAI.Azure.Chat;
using CloneAI.Azure.Cosmos;
using CloneAI.Core.Chat;
using CloneAI.Core.Insights;
using Microsoft.Azure.Cosmos;

namespace CloneAI.Azure.Insights;

/// <summary>
/// The dashboard's reads over the <c>sessions</c> container (partitioned by <c>/sessionId</c>, see
/// <see cref="CosmosSessionStore"/>): a clone's sessions and usage events are cross-partition queries on <c>cloneId</c>, and
/// their questions are read from the messages of the sessions active in the period (by <c>seq</c>, which orders messages by
/// time), paired with their answers by the client's message key. Previews are left out by the session's flag, and usage by the
/// owner (the user of a preview) by its user.
/// </summary>
public sealed class CosmosCloneInsightsStore(Container sessions) : ICloneInsightsStore
{
    /// <summary>How many sessions one message query names.</summary>
    public const int SessionsPerQuery = 100;

    private const string NotPreview = "(NOT IS_DEFINED(c.session.preview) OR c.session.preview = false)";

    public async Task<IReadOnlyList<ChatSession>> ListSessionsAsync(
        IReadOnlyCollection<string> cloneIds, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        if (cloneIds.Count == 0) return [];
        var query = new QueryDefinition(
                $"SELECT * FROM c WHERE c.type = @type AND ARRAY_CONTAINS(@clones, c.cloneId) AND c.startedMs >= @since AND c.startedMs < @until AND {NotPreview}")
            .WithParameter("@type", CosmosSessionStore.SessionType).WithParameter("@clones", cloneIds.Distinct(StringComparer.Ordinal).ToArray())
            .WithParameter("@since", since.ToUnixTimeMilliseconds()).WithParameter("@until", until.ToUnixTimeMilliseconds());
        return (await CosmosPaging.ReadAllAsync<SessionItem>(sessions, query, null, cancellationToken))
            .Select(i => i.WithETag())
            .Where(s => !s.Preview && s.StartedAt >= since && s.StartedAt < until)
            .OrderBy(s => s.StartedAt).ThenBy(s => s.Id, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<IReadOnlyList<UsageEvent>> ListUsageAsync(
        IReadOnlyCollection<string> cloneIds, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        if (cloneIds.Count == 0) return [];
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND ARRAY_CONTAINS(@clones, c.cloneId) AND c.createdMs >= @since AND c.createdMs < @until")
            .WithParameter("@type", CosmosSessionStore.UsageType).WithParameter("@clones", cloneIds.Distinct(StringComparer.Ordinal).ToArray())
            .WithParameter("@since", since.ToUnixTimeMilliseconds()).WithParameter("@until", until.ToUnixTimeMilliseconds());
        return (await CosmosPaging.ReadAllAsync<UsageItem>(sessions, query, null, cancellationToken))
            .Select(u => u.Usage)
            .Where(u => u.UserId != u.OwnerId && u.CreatedAt >= since && u.CreatedAt < until)
            .OrderBy(u => u.CreatedAt).ThenBy(u => u.Id, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<IReadOnlyList<AskedQuestion>> ListQuestionsAsync(
        IReadOnlyCollection<string> cloneIds, DateTimeOffset since, DateTimeOffset until, int max, CancellationToken cancellationToken = default)
    {
        if (cloneIds.Count == 0 || max <= 0) return [];
        // A session with a question in the period started before its end and was last active after its start.
        var active = new QueryDefinition(
                $"SELECT * FROM c WHERE c.type = @type AND ARRAY_CONTAINS(@clones, c.cloneId) AND c.startedMs < @until AND c.lastActivityMs >= @since AND {NotPreview}")
            .WithParameter("@type", CosmosSessionStore.SessionType).WithParameter("@clones", cloneIds.Distinct(StringComparer.Ordinal).ToArray())
            .WithParameter("@since", since.ToUnixTimeMilliseconds()).WithParameter("@until", until.ToUnixTimeMilliseconds());
        var cloneOf = (await CosmosPaging.ReadAllAsync<SessionItem>(sessions, active, null, cancellationToken))
            .Where(s => !s.Session.Preview)
            .ToDictionary(s => s.SessionId, s => s.CloneId, StringComparer.Ordinal);

        var messages = new List<MessageItem>();
        foreach (var chunk in cloneOf.Keys.Order(StringComparer.Ordinal).Chunk(SessionsPerQuery))
        {
            var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND ARRAY_CONTAINS(@sessions, c.sessionId) AND c.seq >= @since AND c.seq < @until")
                .WithParameter("@type", CosmosSessionStore.MessageType).WithParameter("@sessions", chunk)
                .WithParameter("@since", since.ToUnixTimeMilliseconds() * 10).WithParameter("@until", until.ToUnixTimeMilliseconds() * 10);
            messages.AddRange(await CosmosPaging.ReadAllAsync<MessageItem>(sessions, query, null, cancellationToken));
        }
        var answers = messages
            .Where(m => m.Role == MessageRoles.Assistant && m.ClientMessageId is not null)
            .GroupBy(m => (m.SessionId, m.ClientMessageId!))
            .ToDictionary(g => g.Key, g => g.First().Message);
        return messages
            .Where(m => m.Role == MessageRoles.User && cloneOf.ContainsKey(m.SessionId) && m.Message.CreatedAt >= since && m.Message.CreatedAt < until)
            .OrderByDescending(m => m.Message.CreatedAt).ThenByDescending(m => m.Seq).ThenBy(m => m.Id, StringComparer.Ordinal)
            .Take(max)
            .Select(m => AskedQuestion.Of(cloneOf[m.SessionId], m.Message, m.ClientMessageId is { } key ? answers.GetValueOrDefault((m.SessionId, key)) : null))
            .ToList();
    }
}
