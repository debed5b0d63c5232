using CloneAI.Core.Audit;
using CloneAI.Core.Errors;
using CloneAI.Local.Audit;
using CloneAI.Local.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloneAI.Local.Tests.Audit;

public sealed class SqliteAuditLogTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-06T07:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cloneai-audit-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteAuditLog _log;

    public SqliteAuditLogTests() =>
        _log = new SqliteAuditLog(new SqliteDatabase(Path.Combine(_dir, "cloneai.db"), NullLogger<SqliteDatabase>.Instance));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private static AuditEntry Entry(int n, string? subject = null, string actor = "admin-1") => new()
    {
        Id = $"a-{n}",
        At = Now.AddMinutes(n),
        ActorId = actor,
        ActorEmail = actor + "@example.com",
        Action = AuditActions.UserDisabled,
        TargetType = AuditTargets.User,
        TargetId = subject ?? "u-x",
        SubjectUserId = subject,
        Reason = $"reason {n}",
    };

    [Fact]
    public async Task PagesGoNewestFirstAndAnEntryAppendedWhilePagingIsNeitherRepeatedNorSkipped()
    {
        for (var i = 1; i <= 5; i++) await _log.AppendAsync(Entry(i));

        var first = await _log.ListAsync(2, null);
        Assert.Equal(["a-5", "a-4"], first.Items.Select(e => e.Id));
        await _log.AppendAsync(Entry(6));
        var second = await _log.ListAsync(2, first.ContinuationToken);
        Assert.Equal(["a-3", "a-2"], second.Items.Select(e => e.Id));
        var third = await _log.ListAsync(2, second.ContinuationToken);
        Assert.Equal(["a-1"], third.Items.Select(e => e.Id));
        Assert.Null(third.ContinuationToken);
        Assert.Equal("a-6", (await _log.ListAsync(1, null)).Items[0].Id);
    }

    [Fact]
    public async Task AppendingTheSameIdTwiceStoresItOnce()
    {
        await _log.AppendAsync(Entry(1));
        await _log.AppendAsync(Entry(1) with { Reason = "a retry" });
        var page = await _log.ListAsync(10, null);
        Assert.Equal("reason 1", Assert.Single(page.Items).Reason);
    }

    [Fact]
    public async Task AUserSeesOnlyTheEntriesAboutThem()
    {
        await _log.AppendAsync(Entry(1, subject: "u-1"));
        await _log.AppendAsync(Entry(2, subject: "u-2"));
        await _log.AppendAsync(Entry(3, subject: "u-1"));
        Assert.Equal(["a-3", "a-1"], (await _log.ListForSubjectAsync("u-1", 10)).Select(e => e.Id));
    }

    [Fact]
    public async Task PseudonymisingKeepsTheActionAndReasonButNotTheIdOrEmail()
    {
        await _log.AppendAsync(Entry(1, subject: "u-1"));
        await _log.AppendAsync(Entry(2, subject: "u-2", actor: "u-1"));
        await _log.PseudonymiseAsync("u-1", "deleted-1");

        Assert.Empty(await _log.ListForSubjectAsync("u-1", 10));
        var about = Assert.Single(await _log.ListForSubjectAsync("deleted-1", 10));
        Assert.Equal(("deleted-1", "reason 1", AuditActions.UserDisabled), (about.TargetId, about.Reason, about.Action));
        var acted = (await _log.ListAsync(10, null)).Items.Single(e => e.Id == "a-2");
        Assert.Equal(("deleted-1", ""), (acted.ActorId, acted.ActorEmail));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("bzox")]
    public async Task AForgedContinuationTokenIsAFieldError(string token)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => _log.ListAsync(2, token));
        Assert.Contains("continuationToken", e.Errors.Keys);
    }
}
