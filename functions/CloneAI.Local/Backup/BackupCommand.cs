namespace CloneAI.Local.Backup;

/// <summary>
/// The local host's maintenance commands: <c>backup --to FILE</c> and <c>restore --from FILE</c>, each with an optional
/// <c>--data DIR</c> (else <c>CLONEAI_DATA</c>, else <c>.cloneai-data</c>, as the host resolves it). <c>./run backup ...</c> and
/// <c>./run restore ...</c> call these.
/// </summary>
public static class BackupCommand
{
    public const string Usage = """
        Usage:
          ./run backup  --to FILE   [--data DIR]   Back up the data folder (database and files) into FILE, also while the host runs.
          ./run restore --from FILE [--data DIR]   Check FILE, then replace the data folder with its contents (stop the host first;
                                                   the folder as it was is kept beside it as DIR.before-restore-<time>).
        """;

    public static bool Handles(string[] args) => args.Length > 0 && args[0] is "backup" or "restore";

    /// <returns>The process exit code: 0 done, 1 refused or failed (nothing changed), 2 a usage error.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var command = args[0];
        string? file = null, data = null;
        for (var i = 1; i < args.Length; i++)
        {
            var (name, value) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (args[i], null);
            if (value is null && i + 1 < args.Length && name is "--to" or "--from" or "--data") value = args[++i];
            switch (name)
            {
                case "--to" when command == "backup":
                case "--from" when command == "restore":
                    file = value;
                    break;
                case "--data":
                case "--Local:DataDir":
                    data = value;
                    break;
                default:
                    await stderr.WriteLineAsync($"Unknown argument '{args[i]}'.\n{Usage}");
                    return 2;
            }
        }
        if (string.IsNullOrWhiteSpace(file))
        {
            await stderr.WriteLineAsync($"Name the backup file with {(command == "backup" ? "--to" : "--from")} FILE.\n{Usage}");
            return 2;
        }
        data ??= Environment.GetEnvironmentVariable("CLONEAI_DATA") is { Length: > 0 } d ? d : new LocalOptions().DataDir;
        try
        {
            if (command == "backup") await LocalBackup.BackupAsync(data, file, stdout, cancellationToken);
            else await LocalBackup.RestoreAsync(data, file, stdout, cancellationToken);
            return 0;
        }
        catch (Exception e) when (e is DamagedBackupException or DataFolderInUseException or FileNotFoundException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"{command} failed: {e.Message}");
            return 1;
        }
    }
}
