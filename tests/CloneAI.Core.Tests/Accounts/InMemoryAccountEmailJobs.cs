using CloneAI.Core.Accounts;

namespace CloneAI.Core.Tests.Accounts;

/// <summary>Queued account emails in memory, with the store's semantics (a claim leases atomically); every call completes at once.</summary>
internal sealed class InMemoryAccountEmailJobs : IAccountEmailJobs
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (AccountEmailJob Job, DateTimeOffset DueAt)> _jobs = new(StringComparer.Ordinal);

    /// <summary>The jobs stored now.</summary>
    public IReadOnlyList<AccountEmailJob> Jobs
    {
        get { lock (_lock) return [.. _jobs.Values.Select(j => j.Job).OrderBy(j => j.CreatedAt)]; }
    }

    public Task AddAsync(AccountEmailJob job, CancellationToken cancellationToken = default)
    {
        lock (_lock) _jobs.Add(job.Id, (job, job.CreatedAt));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AccountEmailJob>> ClaimAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var due = _jobs.Values.Where(j => j.DueAt <= now).OrderBy(j => j.DueAt).ThenBy(j => j.Job.CreatedAt).Take(limit).ToList();
            foreach (var (job, _) in due) _jobs[job.Id] = (job with { Attempts = job.Attempts + 1 }, now + lease);
            return Task.FromResult<IReadOnlyList<AccountEmailJob>>([.. due.Select(j => _jobs[j.Job.Id].Job).OrderBy(j => j.CreatedAt)]);
        }
    }

    public Task ReleaseAsync(string id, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
    {
        lock (_lock)
            if (_jobs.TryGetValue(id, out var j)) _jobs[id] = (j.Job, dueAt);
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_lock) _jobs.Remove(id);
        return Task.CompletedTask;
    }

    public Task<int> DeleteByAddressAsync(string address, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var gone = _jobs.Values.Where(j => j.Job.Address == address).Select(j => j.Job.Id).ToList();
            foreach (var id in gone) _jobs.Remove(id);
            return Task.FromResult(gone.Count);
        }
    }
}
