using CloneAI.Core.Domain;

namespace CloneAI.Core.Chat;

/// <summary>
/// What the audience recount (<c>Admin.AudienceRecount</c>) reads and writes, across all users and clones: every session (not
/// their messages), every <see cref="CloneAudienceEntry"/>, every clone. SQLite: the tables <c>sessions</c>,
/// <c>clone_audience</c>, <c>clones</c>; Cosmos: cross-partition reads of the containers <c>sessions</c>, <c>memories</c> (type
/// <c>clone-audience</c>) and <c>clones</c>. The clones' counters are written through the <c>ICloneStore</c>.
/// </summary>
public interface IAudienceRecountSource
{
    IAsyncEnumerable<ChatSession> ReadSessionsAsync(CancellationToken cancellationToken = default);

    IAsyncEnumerable<CloneAudienceEntry> ReadAudienceAsync(CancellationToken cancellationToken = default);

    IAsyncEnumerable<Clone> ReadClonesAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="entry"/> as the one record of its clone and user, whatever was there.</summary>
    Task PutAudienceAsync(CloneAudienceEntry entry, CancellationToken cancellationToken = default);
}
