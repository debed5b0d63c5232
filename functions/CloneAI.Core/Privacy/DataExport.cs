namespace CloneAI.Core.Privacy;

public static class DataExportStatus
{
    public const string Building = "building";
    public const string Ready = "ready";
    public const string Failed = "failed";
    public const string Expired = "expired";
}

/// <summary>
/// One export of a user's data: built in the background into a zip at <see cref="BlobPath"/>, downloadable with a link that
/// carries a token (only its SHA-256 is kept) until <see cref="ExpiresAt"/>, after which the zip is deleted.
/// </summary>
public sealed record DataExport
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public string Status { get; init; } = DataExportStatus.Building;
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadyAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public string? BlobPath { get; init; }
    public long Size { get; init; }
    /// <summary>The names of the sections the zip holds.</summary>
    public IReadOnlyList<string> Sections { get; init; } = [];
    /// <summary>SHA-256 (hex) of the download token; the token itself is only in the link.</summary>
    public string? TokenHash { get; init; }
    public DateTimeOffset? EmailedAt { get; init; }
    public string? Error { get; init; }
    public string? ETag { get; init; }
}

/// <summary>Data exports. Replace fails with <see cref="Errors.ConflictException"/> when the ETag no longer matches.</summary>
public interface IDataExportStore
{
    /// <summary>Stores the export unless the user has one being built: then returns that one (Created false).</summary>
    Task<(DataExport Export, bool Created)> CreateUnlessBuildingAsync(DataExport dataExport, CancellationToken cancellationToken = default);
    Task<DataExport?> GetAsync(string userId, string id, CancellationToken cancellationToken = default);
    /// <summary>The export with this id, of any user (a download link names no user).</summary>
    Task<DataExport?> FindAsync(string id, CancellationToken cancellationToken = default);
    Task<DataExport> ReplaceAsync(DataExport dataExport, CancellationToken cancellationToken = default);
    /// <summary>The user's exports, newest first.</summary>
    Task<IReadOnlyList<DataExport>> ListAsync(string userId, CancellationToken cancellationToken = default);
    /// <summary>Exports still building, or ready but not yet emailed: what a restart resumes.</summary>
    Task<IReadOnlyList<DataExport>> ListUnfinishedAsync(CancellationToken cancellationToken = default);
    /// <summary>Ready exports whose link expired before <paramref name="now"/>.</summary>
    Task<IReadOnlyList<DataExport>> ListExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
    Task DeleteAllAsync(string userId, CancellationToken cancellationToken = default);
}

/// <summary>An export section that also writes files into the zip (the original documents).</summary>
public interface IUserDataFileExporter
{
    /// <summary>Files under <c>files/{Name}/...</c> in the zip: (path inside that folder, bytes).</summary>
    string Name { get; }
    IAsyncEnumerable<(string Path, byte[] Data)> FilesAsync(string userId, CancellationToken cancellationToken = default);
}
