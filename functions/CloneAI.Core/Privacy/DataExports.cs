using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CloneAI.Core.Auth;
using CloneAI.Core.Blobs;
using CloneAI.Core.Domain;
using CloneAI.Core.Email;
using CloneAI.Core.Errors;
using CloneAI.Core.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using CloneAI.Core.UserData;

namespace CloneAI.Core.Privacy;

/// <summary>A built export's zip, to hand to its owner.</summary>
public sealed record ExportDownload(string FileName, byte[] Data);

/// <summary>
/// Data exports (<c>POST /api/me/export</c>): <see cref="RequestAsync"/> records one (or returns the one being built), the host
/// builds it in the background (<see cref="BuildAsync"/>: every <see cref="IUserDataExporter"/> as <c>{name}.json</c>, every
/// <see cref="IUserDataFileExporter"/>'s files under <c>files/{name}/</c>, into a zip blob) and emails its link
/// (<see cref="SendLinkAsync"/>). The link carries a random token; only its hash is stored, and it works until the export expires,
/// when <see cref="PurgeExpiredAsync"/> deletes the zip.
/// </summary>
public sealed class DataExports(
    IDataExportStore store, IBlobStore blobs, IUserStore users, IEnumerable<IUserDataExporter> exporters,
    IEnumerable<IUserDataFileExporter> fileExporters, IOptions<PrivacyOptions> options, IOptions<AuthOptions> auth, TimeProvider time,
    ILogger<DataExports> logger, IEmailSender? email = null)
{
    public const string Prefix = "exports";
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The caller's export being built, or a new one (Created true: the host must start building it).</summary>
    public async Task<(DataExport Export, bool Created)> RequestAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        return await store.CreateUnlessBuildingAsync(new DataExport
        {
            Id = Guid.NewGuid().ToString("N"),
            UserId = caller.UserId,
            CreatedAt = now,
        }, cancellationToken);
    }

    /// <summary>The caller's exports, newest first (expired ones say so).</summary>
    public Task<IReadOnlyList<DataExport>> ListAsync(Caller caller, CancellationToken cancellationToken = default) =>
        store.ListAsync(caller.UserId, cancellationToken);

    /// <summary>The exports a restart (or the timer) must carry on with.</summary>
    public Task<IReadOnlyList<DataExport>> UnfinishedAsync(CancellationToken cancellationToken = default) => store.ListUnfinishedAsync(cancellationToken);

    /// <summary>Builds the zip (idempotent: a ready export is left as it is). Returns the export as stored.</summary>
    public async Task<DataExport?> BuildAsync(string userId, string exportId, CancellationToken cancellationToken = default)
    {
        var export = await store.GetAsync(userId, exportId, cancellationToken);
        if (export is null || export.Status != DataExportStatus.Building) return export;
        if (await users.GetAsync(userId, cancellationToken) is null)
            return await store.ReplaceAsync(export with { Status = DataExportStatus.Failed, Error = "The account no longer exists." }, cancellationToken);

        var sections = new List<string>();
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var exporter in exporters.OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                var data = await exporter.ExportAsync(userId, cancellationToken);
                if (data is null) continue;
                var entry = zip.CreateEntry(SafeName(exporter.Name) + ".json", CompressionLevel.Optimal);
                await using var stream = entry.Open();
                await JsonSerializer.SerializeAsync(stream, data, data.GetType(), JsonOptions, cancellationToken);
                sections.Add(exporter.Name);
            }
            foreach (var exporter in fileExporters)
            {
                await foreach (var (path, bytes) in exporter.FilesAsync(userId, cancellationToken))
                {
                    var name = "files/" + SafeName(exporter.Name) + "/" + string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(SafeName));
                    var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                    await using var stream = entry.Open();
                    await stream.WriteAsync(bytes, cancellationToken);
                }
            }
            var readme = zip.CreateEntry("README.txt");
            await using (var stream = readme.Open())
                await stream.WriteAsync(Encoding.UTF8.GetBytes(Readme(sections, time.GetUtcNow())), cancellationToken);
        }
        var blobPath = $"{Prefix}/{userId}/{export.Id}.zip";
        await blobs.PutAsync(blobPath, buffer.ToArray(), "application/zip", cancellationToken);
        var now = time.GetUtcNow();
        logger.LogInformation("Export {ExportId} built: {Bytes} bytes, {Sections} sections", export.Id, buffer.Length, sections.Count);
        return await store.ReplaceAsync(export with
        {
            Status = DataExportStatus.Ready,
            ReadyAt = now,
            ExpiresAt = now.AddHours(options.Value.ExportLinkHours),
            BlobPath = blobPath,
            Size = buffer.Length,
            Sections = sections,
        }, cancellationToken);
    }

    /// <summary>Marks an export that could not be built as failed (the user can ask for another).</summary>
    public async Task FailAsync(string userId, string exportId, CancellationToken cancellationToken = default)
    {
        var export = await store.GetAsync(userId, exportId, cancellationToken);
        if (export is null || export.Status != DataExportStatus.Building) return;
        await store.ReplaceAsync(export with { Status = DataExportStatus.Failed, Error = "The export could not be built. Ask for a new one." }, cancellationToken);
    }

    /// <summary>
    /// Emails the ready export's link, once (a new token each time it is sent, so a resent link replaces the first). The email
    /// holds no text the user wrote.
    /// </summary>
    public async Task SendLinkAsync(string userId, string exportId, CancellationToken cancellationToken = default)
    {
        var export = await store.GetAsync(userId, exportId, cancellationToken);
        if (export is null || export.Status != DataExportStatus.Ready || export.EmailedAt is not null) return;
        var user = await users.GetAsync(userId, cancellationToken);
        if (user is null) return;
        if (email is null)
        {
            // No email service here: the export waits on the profile page (signed-in download) instead.
            logger.LogWarning("Export {ExportId} is ready but no email service is configured to send its link", export.Id);
            await store.ReplaceAsync(export with { EmailedAt = time.GetUtcNow() }, cancellationToken);
            return;
        }
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        export = await store.ReplaceAsync(export with { TokenHash = Hash(token) }, cancellationToken);
        var link = $"{auth.Value.PublicBaseUrl.TrimEnd('/')}/api/me/exports/{export.Id}/download?token={Uri.EscapeDataString(token)}";
        var expires = export.ExpiresAt!.Value.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        var text = $"""
            Hello,

            The export of your CloneAI data is ready. Download it here (the link works until {expires}):
            {link}

            If you did not ask for this export, sign in and change your password.
            """;
        var html = $"""
            <p>Hello,</p>
            <p>The export of your CloneAI data is ready. <a href="{System.Net.WebUtility.HtmlEncode(link)}">Download it</a>
            (the link works until {expires}).</p>
            <p>If you did not ask for this export, sign in and change your password.</p>
            """;
        await email.SendAsync(new EmailMessage(user.Email, "Your CloneAI data export is ready", text, html) { Key = $"data-export:{export.Id}" }, cancellationToken);
        await store.ReplaceAsync(export with { EmailedAt = time.GetUtcNow() }, cancellationToken);
    }

    /// <summary>
    /// The zip, for the holder of the link's token. A wrong token, another user's export (when a caller is signed in), or an
    /// expired one is "not found".
    /// </summary>
    public async Task<ExportDownload> DownloadAsync(string exportId, string? token, string? callerId, CancellationToken cancellationToken = default)
    {
        var notFound = new NotFoundException("No such export, or its link has expired.");
        if (string.IsNullOrEmpty(token) || token.Length > 200) throw notFound;
        var hash = Hash(token);
        var export = await FindByTokenAsync(exportId, hash, callerId, cancellationToken) ?? throw notFound;
        if (export.Status != DataExportStatus.Ready || export.ExpiresAt is null || export.ExpiresAt <= time.GetUtcNow() || export.BlobPath is null) throw notFound;
        var blob = await blobs.GetAsync(export.BlobPath, cancellationToken) ?? throw notFound;
        return new ExportDownload($"cloneai-export-{export.CreatedAt:yyyy-MM-dd}.zip", blob.Data);
    }

    /// <summary>The zip for its signed-in owner (the profile page's link), without the email's token.</summary>
    public async Task<ExportDownload> DownloadOwnAsync(Caller caller, string exportId, CancellationToken cancellationToken = default)
    {
        var notFound = new NotFoundException("No such export, or its link has expired.");
        var export = await store.GetAsync(caller.UserId, exportId, cancellationToken) ?? throw notFound;
        if (export.Status != DataExportStatus.Ready || export.ExpiresAt <= time.GetUtcNow() || export.BlobPath is null) throw notFound;
        var blob = await blobs.GetAsync(export.BlobPath, cancellationToken) ?? throw notFound;
        return new ExportDownload($"cloneai-export-{export.CreatedAt:yyyy-MM-dd}.zip", blob.Data);
    }

    /// <summary>Deletes the zips of expired exports and marks them expired.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        var expired = await store.ListExpiredAsync(time.GetUtcNow(), cancellationToken);
        foreach (var export in expired)
        {
            if (export.BlobPath is not null) await blobs.DeleteAsync(export.BlobPath, cancellationToken);
            await store.ReplaceAsync(export with { Status = DataExportStatus.Expired, BlobPath = null, TokenHash = null }, cancellationToken);
        }
        return expired.Count;
    }

    private async Task<DataExport?> FindByTokenAsync(string exportId, string hash, string? callerId, CancellationToken cancellationToken)
    {
        var export = callerId is not null ? await store.GetAsync(callerId, exportId, cancellationToken) : await store.FindAsync(exportId, cancellationToken);
        if (export?.TokenHash is null) return null;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(export.TokenHash), Encoding.ASCII.GetBytes(hash)) ? export : null;
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string SafeName(string name)
    {
        var cleaned = new string(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray()).Trim('.');
        return cleaned.Length == 0 ? "_" : cleaned.Length > 120 ? cleaned[..120] : cleaned;
    }

    private static string Readme(IReadOnlyList<string> sections, DateTimeOffset at) => $"""
        Your CloneAI data, exported {at:yyyy-MM-dd HH:mm} UTC.

        Each section is a JSON file: {string.Join(", ", sections.Select(s => s + ".json"))}.
        files/ holds the original documents of your clones' knowledge bases.
        """;
}
