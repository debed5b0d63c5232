using CloneAI.Core.Domain;

namespace CloneAI.Core.Audit;

/// <summary>The append-only log of admin actions.</summary>
public interface IAuditLog
{
    /// <summary>Stores the entry; a second append with the same <see cref="AuditEntry.Id"/> stores nothing.</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Every entry, newest first, <paramref name="pageSize"/> at a time.</summary>
    Task<Page<AuditEntry>> ListAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken = default);

    /// <summary>The entries whose <see cref="AuditEntry.SubjectUserId"/> is <paramref name="userId"/>, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ListForSubjectAsync(string userId, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Account deletion: every entry that names <paramref name="userId"/> as actor or subject keeps its action, time and
    /// reason, but names <paramref name="pseudonym"/> instead (and no email).
    /// </summary>
    Task PseudonymiseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default);
}
