namespace CloneAI.Local.Backup;

/// <summary>
/// The lock file <c>&lt;data&gt;/.host.lock</c>. A running host holds it shared (so several may share a folder, as before);
/// <c>restore</c> takes it exclusively, which fails while any host holds it. The operating system drops the lock when the
/// process ends, however it ends (on Unix an advisory <c>flock</c>, on Windows a share mode).
/// </summary>
public sealed class DataFolderLock : IDisposable
{
    public const string FileName = ".host.lock";

    private readonly FileStream _stream;

    private DataFolderLock(FileStream stream) => _stream = stream;

    /// <summary>The running host's shared hold on the folder.</summary>
    public static DataFolderLock AcquireShared(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        return new DataFolderLock(new FileStream(Path.Combine(dataDir, FileName), FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
    }

    /// <summary>The folder to itself, or null when a host is using it.</summary>
    public static DataFolderLock? TryAcquireExclusive(string dataDir)
    {
        try
        {
            return new DataFolderLock(new FileStream(Path.Combine(dataDir, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}
