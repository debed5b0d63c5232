using CloneAI.Core.Audit;
using CloneAI.Core.Domain;

namespace CloneAI.Core.Tests.Admin;

/// <summary>An audit log in a list, with the port's promise: an id appended twice is stored once.</summary>
internal sealed class ListAuditLog : IAuditLog
{
    public List<AuditEntry> Entries { get; } = [];

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        if (!Entries.Any(e => e.Id == entry.Id)) Entries.Add(entry);
        return Task.CompletedTask;
    }

    public Task<Page<AuditEntry>> ListAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var skip = continuationToken is null ? 0 : int.Parse(continuationToken, System.Globalization.CultureInfo.InvariantCulture);
        var newestFirst = Enumerable.Reverse(Entries).ToList();
        var items = newestFirst.Skip(skip).Take(pageSize).ToList();
        var next = skip + items.Count < newestFirst.Count ? (skip + items.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return Task.FromResult(new Page<AuditEntry>(items, next));
    }

    public Task<IReadOnlyList<AuditEntry>> ListForSubjectAsync(string userId, int max, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuditEntry>>(Enumerable.Reverse(Entries).Where(e => e.SubjectUserId == userId).Take(max).ToList());

    public Task PseudonymiseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default) => Task.CompletedTask;
}

/// <summary>A clock that moves only when told to.</summary>
internal sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;
    public override DateTimeOffset GetUtcNow() => Now;
}
