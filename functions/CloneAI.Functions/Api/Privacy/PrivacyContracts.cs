using System.ComponentModel;
using CloneAI.Core.Privacy;

namespace CloneAI.Functions.Api.Privacy;

/// <summary>One export of the caller's data.</summary>
public sealed record DataExportDto(
    string Id,
    [property: Description("building, ready, failed or expired.")] string Status,
    DateTimeOffset CreatedAt, DateTimeOffset? ReadyAt,
    [property: Description("When the download link stops working and the zip is deleted.")] DateTimeOffset? ExpiresAt,
    [property: Description("Size of the zip in bytes (0 until ready).")] long Size,
    [property: Description("The sections the zip holds, each as {name}.json.")] IReadOnlyList<string> Sections,
    [property: Description("Signed-in download of a ready export (the emailed link works without signing in).")] string? DownloadUrl)
{
    public static DataExportDto From(DataExport e, DateTimeOffset now)
    {
        var expired = e.Status == DataExportStatus.Expired || (e.Status == DataExportStatus.Ready && e.ExpiresAt <= now);
        return new(e.Id, expired ? DataExportStatus.Expired : e.Status, e.CreatedAt, e.ReadyAt, e.ExpiresAt, e.Size, e.Sections,
            e.Status == DataExportStatus.Ready && !expired ? $"/api/me/exports/{e.Id}/download" : null);
    }
}

public sealed record DataExportList(IReadOnlyList<DataExportDto> Items);

public sealed record DownloadQuery([property: Description("The token from the emailed link; without it, the signed-in owner downloads.")] string? Token);

/// <summary>Deleting the account: local accounts send their password again; Entra accounts need a sign-in from the last minutes.</summary>
public sealed record DeleteAccountRequest([property: Description("Local mode: your password.")] string? Password);

public sealed record TermsDto([property: Description("The version of /terms and /privacy that sign-up records.")] string Version);
