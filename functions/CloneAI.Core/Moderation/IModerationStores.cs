using CloneAI.Core.Domain;

namespace CloneAI.Core.Moderation;

/// <summary>Reports of clones and answers.</summary>
public interface IReportStore
{
    /// <summary>Stores the report, or returns the one already stored under its id (a repeat is idempotent).</summary>
    Task<(Report Report, bool Created)> AddAsync(Report report, CancellationToken cancellationToken = default);

    Task<Report?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Stores the changed report (a resolution).</summary>
    Task<Report> UpdateAsync(Report report, CancellationToken cancellationToken = default);

    /// <summary>The open reports of one clone, oldest first.</summary>
    Task<IReadOnlyList<Report>> ListOpenForCloneAsync(string cloneId, CancellationToken cancellationToken = default);

    /// <summary>Reports in one status, oldest first, <paramref name="pageSize"/> at a time.</summary>
    Task<Page<Report>> ListAsync(string status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default);

    /// <summary>The reports one user filed, newest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<Report>> ListByReporterAsync(string reporterId, int max, CancellationToken cancellationToken = default);

    /// <summary>Deletes every report the user filed (account deletion).</summary>
    Task DeleteByReporterAsync(string reporterId, CancellationToken cancellationToken = default);
}

/// <summary>Creators' verification requests.</summary>
public interface IVerificationStore
{
    /// <summary>Stores a new request; throws <see cref="Errors.ConflictException"/> when its id exists.</summary>
    Task<VerificationRequest> CreateAsync(VerificationRequest request, CancellationToken cancellationToken = default);

    Task<VerificationRequest?> GetAsync(string id, CancellationToken cancellationToken = default);

    Task<VerificationRequest> UpdateAsync(VerificationRequest request, CancellationToken cancellationToken = default);

    /// <summary>One user's requests, newest first.</summary>
    Task<IReadOnlyList<VerificationRequest>> ListByUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Requests in one status, oldest first, <paramref name="pageSize"/> at a time.</summary>
    Task<Page<VerificationRequest>> ListAsync(string status, int pageSize, string? continuationToken, CancellationToken cancellationToken = default);

    Task DeleteByUserAsync(string userId, CancellationToken cancellationToken = default);
}
