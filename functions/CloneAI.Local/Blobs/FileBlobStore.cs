using CloneAI.Core.Blobs;


namespace CloneAI.Local.Blobs;

/// <summary>Blobs as files under <c>&lt;data&gt;/blobs</c>. Writes go to a temporary file first and are moved into place.</summary>
public sealed class FileBlobStore(string root) : IBlobStore
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".webp"] = "image/webp",
        [".pdf"] = "application/pdf", [".txt"] = "text/plain; charset=utf-8", [".md"] = "text/markdown; charset=utf-8",
        [".html"] = "text/html; charset=utf-8", [".json"] = "application/json",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    };

    private readonly string _root = Path.GetFullPath(root);

    /// <summary>Raised after every successful write, with the path and the bytes: the local blob trigger listens here.</summary>
    public event Action<string, byte[]>? Written;

    public async Task PutAsync(string path, byte[] data, string contentType, CancellationToken cancellationToken = default)
    {
        var full = Resolve(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temp, data, cancellationToken);
        File.Move(temp, full, overwrite: true);
        Written?.Invoke(path, data);
    }

    public async Task<BlobContent?> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = Resolve(path);
        if (!File.Exists(full)) return null;
        var type = Types.GetValueOrDefault(Path.GetExtension(full), "application/octet-stream");
        return new BlobContent(await File.ReadAllBytesAsync(full, cancellationToken), type);
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = Resolve(path);
        if (File.Exists(full)) File.Delete(full);
        return Task.CompletedTask;
    }

    public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        if (!prefix.EndsWith('/')) throw new ArgumentException("A prefix ends with '/'.", nameof(prefix));
        var folder = Resolve(prefix.TrimEnd('/'));
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Maps a blob path to a file under the root; anything that would leave the root is refused.</summary>
    internal string Resolve(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\\', StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal) ||
            Path.IsPathRooted(path) || path.Split('/').Any(s => s is "" or "." or ".."))
            throw new ArgumentException($"Invalid blob path '{path}'.", nameof(path));
        var full = Path.GetFullPath(Path.Combine(_root, path));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Invalid blob path '{path}'.", nameof(path));
        return full;
    }
}
