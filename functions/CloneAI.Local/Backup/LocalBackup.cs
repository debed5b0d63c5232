using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CloneAI.Local.Backup;

/// <summary>One file in a backup archive: its path under the data folder ('/'-separated), size and SHA-256.</summary>
public sealed record BackupFile(string Path, long Bytes, string Sha256);

/// <summary>The archive's table of contents (<c>manifest.json</c>, its last entry).</summary>
public sealed record BackupManifest(string Format, int Version, DateTimeOffset CreatedAt, string DataFolder, int SchemaVersion, IReadOnlyList<BackupFile> Files);

/// <summary>A backup archive that cannot be restored: unreadable, incomplete, or a file whose bytes differ from its checksum.</summary>
public sealed class DamagedBackupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A restore refused because a host is using the data folder.</summary>
public sealed class DataFolderInUseException(string message) : Exception(message);

/// <summary>
/// Backs up a local data folder into one zip file and restores it. The database is copied with SQLite's online backup API, a
/// consistent snapshot taken while the host keeps running (WAL: readers and writers go on); every other file of the folder
/// (blobs, the email outbox, the signing key) is copied beside it. Files are copied first, the database next, then the
/// files that appeared meanwhile, so every file written before the snapshot is in the archive (a ready document's original
/// and work files, an avatar); files written after it may be too, named by nothing and harmless. A document uploaded at that
/// moment (its record is written just before its file) may come back without its file, and its resumed ingestion then fails
/// saying to upload it again. The manifest lists every file with its size and SHA-256; a restore checks them all before it
/// touches the data folder.
/// </summary>
public static class LocalBackup
{
    public const string Format = "cloneai-backup";
    public const int Version = 1;
    public const string ManifestEntry = "manifest.json";
    public const string DataPrefix = "data/";
    public const string DatabaseFile = "cloneai.db";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Writes the backup of <paramref name="dataDir"/> to <paramref name="archivePath"/> (replacing it only once complete).</summary>
    public static async Task<BackupManifest> BackupAsync(string dataDir, string archivePath, TextWriter log, CancellationToken cancellationToken = default)
    {
        dataDir = Path.GetFullPath(dataDir);
        archivePath = Path.GetFullPath(archivePath);
        var database = Path.Combine(dataDir, DatabaseFile);
        if (!File.Exists(database)) throw new FileNotFoundException($"There is no CloneAI data in {dataDir} (no {DatabaseFile}).", database);
        if (archivePath.StartsWith(dataDir + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException("Write the backup outside the data folder.", nameof(archivePath));
        Directory.CreateDirectory(Path.GetDirectoryName(archivePath)!);

        var partial = archivePath + ".partial";
        var snapshot = archivePath + ".db.partial";
        var files = new List<BackupFile>();
        int schema;
        try
        {
            await using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var zip = new ZipArchive(output, ZipArchiveMode.Create))
            {
                var copied = new HashSet<string>(StringComparer.Ordinal);
                foreach (var file in DataFiles(dataDir))
                    if (await TryAddAsync(zip, dataDir, file, files, cancellationToken)) copied.Add(file);

                schema = Snapshot(database, snapshot);
                files.Add(await AddAsync(zip, snapshot, DatabaseFile, cancellationToken));

                // Files written while the first pass and the snapshot ran (a blob written before the snapshot's rows named it).
                foreach (var file in DataFiles(dataDir).Where(f => !copied.Contains(f)))
                    await TryAddAsync(zip, dataDir, file, files, cancellationToken);

                var manifest = new BackupManifest(Format, Version, DateTimeOffset.UtcNow, dataDir, schema, files);
                var entry = zip.CreateEntry(ManifestEntry, CompressionLevel.Optimal);
                await using (var stream = entry.Open()) await JsonSerializer.SerializeAsync(stream, manifest, JsonOptions, cancellationToken);
            }
            // The archive holds password hashes and the token signing key: readable by its owner only.
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(partial, archivePath, overwrite: true);
        }
        finally
        {
            File.Delete(snapshot);
            File.Delete(partial);
        }
        var total = files.Sum(f => f.Bytes);
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Backed up {dataDir} to {archivePath}: the database (schema version {schema}) and {files.Count - 1} other files, {total:N0} bytes."));
        return ReadManifest(archivePath);
    }

    /// <summary>
    /// Checks the archive, then replaces the data folder with its contents. Refused (nothing changed) for a damaged archive
    /// and while a host is using the folder. The folder's current contents are kept beside it as
    /// <c>&lt;folder&gt;.before-restore-&lt;UTC time&gt;</c>; returns that path (null when there was nothing to keep).
    /// </summary>
    public static async Task<string?> RestoreAsync(string dataDir, string archivePath, TextWriter log, CancellationToken cancellationToken = default)
    {
        dataDir = Path.GetFullPath(dataDir).TrimEnd(Path.DirectorySeparatorChar);
        archivePath = Path.GetFullPath(archivePath);
        if (!File.Exists(archivePath)) throw new FileNotFoundException($"No backup at {archivePath}.", archivePath);
        var manifest = await VerifyAsync(archivePath, cancellationToken);

        var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var staging = $"{dataDir}.restoring-{stamp}";
        var kept = $"{dataDir}.before-restore-{stamp}";
        var exists = Directory.Exists(dataDir);
        using var hold = exists ? DataFolderLock.TryAcquireExclusive(dataDir) : null;
        if (exists && hold is null)
            throw new DataFolderInUseException($"A CloneAI host is using {dataDir}. Stop it (Ctrl+C), then run the restore again. Nothing was changed.");
        try
        {
            Directory.CreateDirectory(staging);
            await ExtractAsync(archivePath, manifest, staging, cancellationToken);
            CheckDatabase(Path.Combine(staging, DatabaseFile));
        }
        catch
        {
            TryDelete(staging);
            throw;
        }

        var keptAny = exists && Directory.EnumerateFileSystemEntries(dataDir).Any(e => Path.GetFileName(e) != DataFolderLock.FileName);
        if (exists)
        {
            hold?.Dispose(); // Windows cannot move a folder with an open file in it.
            if (keptAny) Directory.Move(dataDir, kept);
            else Directory.Delete(dataDir, recursive: true);
        }
        Directory.Move(staging, dataDir);
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Restored {dataDir} from {archivePath} (made {manifest.CreatedAt:u} from {manifest.DataFolder}): the database (schema version {manifest.SchemaVersion}) and {manifest.Files.Count - 1} other files, every checksum matching."));
        await log.WriteLineAsync(keptAny
            ? $"The data folder as it was before is kept at {kept}; delete it once the restored data looks right."
            : "There was no data in the folder before.");
        return keptAny ? kept : null;
    }

    /// <summary>Reads the manifest and checks every file against it; a problem is a <see cref="DamagedBackupException"/>.</summary>
    public static async Task<BackupManifest> VerifyAsync(string archivePath, CancellationToken cancellationToken = default)
    {
        try
        {
            var manifest = ReadManifest(archivePath);
            using var zip = ZipFile.OpenRead(archivePath);
            var listed = manifest.Files.ToDictionary(f => DataPrefix + f.Path, StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName == ManifestEntry) continue;
                if (!listed.TryGetValue(entry.FullName, out var file)) throw new DamagedBackupException($"The archive holds '{entry.FullName}', which its manifest does not list.");
                await using var stream = entry.Open();
                var (bytes, sha) = await HashAsync(stream, cancellationToken);
                if (bytes != file.Bytes || sha != file.Sha256)
                    throw new DamagedBackupException($"'{file.Path}' in the archive does not match its checksum: the backup is damaged.");
                listed.Remove(entry.FullName);
            }
            if (listed.Count > 0) throw new DamagedBackupException($"The archive is missing {listed.Count} listed files, for example '{listed.Keys.First()}'.");
            return manifest;
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or EndOfStreamException or IOException && e is not FileNotFoundException)
        {
            throw new DamagedBackupException($"The backup {archivePath} is damaged or not a CloneAI backup: {e.Message}", e);
        }
    }

    private static BackupManifest ReadManifest(string archivePath)
    {
        using var zip = ZipFile.OpenRead(archivePath);
        var entry = zip.GetEntry(ManifestEntry) ?? throw new DamagedBackupException($"{archivePath} has no {ManifestEntry}: it is not a complete CloneAI backup.");
        using var stream = entry.Open();
        var manifest = JsonSerializer.Deserialize<BackupManifest>(stream, JsonOptions)
            ?? throw new DamagedBackupException($"{archivePath} has an empty manifest.");
        if (manifest.Format != Format || manifest.Version != Version || manifest.Files is null)
            throw new DamagedBackupException($"{archivePath} is not a CloneAI backup of version {Version}.");
        if (!manifest.Files.Any(f => f.Path == DatabaseFile)) throw new DamagedBackupException($"{archivePath} holds no database.");
        foreach (var file in manifest.Files)
            if (!IsSafe(file.Path)) throw new DamagedBackupException($"The manifest names an unsafe path '{file.Path}'.");
        return manifest;
    }

    /// <summary>A relative path with no empty, '.' or '..' part, that stays inside the folder it is extracted to.</summary>
    private static bool IsSafe(string path) =>
        !string.IsNullOrEmpty(path) && !path.Contains('\\', StringComparison.Ordinal) && !path.Contains('\0', StringComparison.Ordinal) && !Path.IsPathRooted(path) &&
        path.Split('/').All(p => p is not ("" or "." or "..")) && !string.Equals(Path.GetFileName(path), DataFolderLock.FileName, StringComparison.Ordinal);

    private static async Task ExtractAsync(string archivePath, BackupManifest manifest, string target, CancellationToken cancellationToken)
    {
        using var zip = ZipFile.OpenRead(archivePath);
        foreach (var file in manifest.Files)
        {
            var destination = Path.GetFullPath(Path.Combine(target, file.Path));
            if (!destination.StartsWith(target + Path.DirectorySeparatorChar, StringComparison.Ordinal)) throw new DamagedBackupException($"Unsafe path '{file.Path}'.");
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            var entry = zip.GetEntry(DataPrefix + file.Path) ?? throw new DamagedBackupException($"'{file.Path}' is missing from the archive.");
            await using (var input = entry.Open())
            await using (var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write))
                await input.CopyToAsync(output, cancellationToken);
            // Read back what landed on disk: a disk that dropped bytes fails here, not at the first request.
            await using var written = File.OpenRead(destination);
            var (bytes, sha) = await HashAsync(written, cancellationToken);
            if (bytes != file.Bytes || sha != file.Sha256) throw new IOException($"'{file.Path}' was not written correctly to {destination}.");
        }
    }

    /// <summary>The files of the data folder that a backup copies: all but the live database files, the lock and temporary writes.</summary>
    private static IEnumerable<string> DataFiles(string dataDir) =>
        Directory.EnumerateFiles(dataDir, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Select(f => Path.GetRelativePath(dataDir, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => f is not (DatabaseFile or DatabaseFile + "-wal" or DatabaseFile + "-shm" or DatabaseFile + "-journal" or DataFolderLock.FileName)
                && !f.EndsWith(".tmp", StringComparison.Ordinal) && IsSafe(f))
            .Order(StringComparer.Ordinal);

    private static async Task<bool> TryAddAsync(ZipArchive zip, string dataDir, string relative, List<BackupFile> files, CancellationToken cancellationToken)
    {
        try
        {
            files.Add(await AddAsync(zip, Path.Combine(dataDir, relative), relative, cancellationToken));
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false; // deleted while the backup ran
        }
    }

    private static async Task<BackupFile> AddAsync(ZipArchive zip, string source, string relative, CancellationToken cancellationToken)
    {
        await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var entry = zip.CreateEntry(DataPrefix + relative, CompressionLevel.Fastest);
        await using var output = entry.Open();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            total += read;
        }
        return new BackupFile(relative, total, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    private static async Task<(long Bytes, string Sha256)> HashAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            total += read;
        }
        return (total, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    /// <summary>SQLite's online backup of the live database into <paramref name="destination"/>; returns its schema version.</summary>
    private static int Snapshot(string database, string destination)
    {
        File.Delete(destination);
        using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 30 }.ToString()))
        using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString()))
        {
            source.Open();
            using (var busy = source.CreateCommand())
            {
                busy.CommandText = "PRAGMA busy_timeout = 10000;";
                busy.ExecuteNonQuery();
            }
            target.Open();
            source.BackupDatabase(target);
            using var journal = target.CreateCommand();
            // One self-contained file: no -wal beside it in the archive.
            journal.CommandText = "PRAGMA journal_mode = DELETE;";
            journal.ExecuteNonQuery();
        }
        return CheckDatabase(destination);
    }

    /// <summary>Runs SQLite's integrity check; returns the schema version.</summary>
    private static int CheckDatabase(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            connection.Open();
            using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check;";
            var result = check.ExecuteScalar() as string;
            if (result != "ok") throw new DamagedBackupException($"The database in the backup fails SQLite's integrity check: {result}");
            using var version = connection.CreateCommand();
            version.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
            return Convert.ToInt32(version.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (SqliteException e)
        {
            throw new DamagedBackupException($"The database in the backup cannot be read: {e.Message}", e);
        }
    }

    private static void TryDelete(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
    }
}
