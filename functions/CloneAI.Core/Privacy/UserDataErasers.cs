using CloneAI.Core.Audit;
using CloneAI.Core.Blobs;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Users;
using CloneAI.Core.UserData;

namespace CloneAI.Core.Privacy;

/// <summary>
/// What a clone holds outside the stores' rows: every document's chunks leave the retrieval index, and every blob under the
/// clone's folders (originals, extracted text, work files) and its avatar go. Host erasers call it for each of the user's
/// clones, deleted ones included, before they erase the rows they find the documents through.
/// </summary>
public static class CloneContent
{
    public static async Task EraseAsync(string cloneId, IEnumerable<string> documentIds, string? avatarBlob, IKnowledgeIndex index, IBlobStore blobs,
        CancellationToken cancellationToken = default)
    {
        foreach (var documentId in documentIds) await index.DeleteDocumentAsync(cloneId, documentId, cancellationToken);
        foreach (var prefix in new[] { WorkFiles.KnowledgePrefix, "work/", "extracted/" })
            await blobs.DeletePrefixAsync($"{prefix}{cloneId}/", cancellationToken);
        if (avatarBlob is not null) await blobs.DeleteAsync(avatarBlob, cancellationToken);
    }
}

/// <summary>The user's avatar image.</summary>
public sealed class AvatarEraser(IUserStore users, IBlobStore blobs) : IUserDataEraser
{
    public string Name => "avatar";
    public int Order => 10;

    public async Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default)
    {
        if (await users.GetAsync(userId, cancellationToken) is { AvatarBlob: { } path }) await blobs.DeleteAsync(path, cancellationToken);
        await blobs.DeleteAsync($"{Names.AvatarsPrefix}/users/{userId}.png", cancellationToken);
    }
}

/// <summary>The user's data exports: their zips and records.</summary>
public sealed class DataExportEraser(IDataExportStore exports, IBlobStore blobs) : IUserDataEraser
{
    public string Name => "exports";
    public int Order => 10;

    public async Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default)
    {
        foreach (var export in await exports.ListAsync(userId, cancellationToken))
            if (export.BlobPath is not null) await blobs.DeleteAsync(export.BlobPath, cancellationToken);
        await blobs.DeletePrefixAsync($"{DataExports.Prefix}/{userId}/", cancellationToken);
        await exports.DeleteAllAsync(userId, cancellationToken);
    }
}
