using CloneAI.Core.Audit;
using CloneAI.Core.Blobs;
using CloneAI.Core.Clones;
using CloneAI.Core.Knowledge;
using CloneAI.Core.Users;

namespace CloneAI.Core.Privacy;

/// <summary>
/// The knowledge of the user's clones, through the ports (so in both hosts): every document's chunks leave the retrieval index,
/// and every blob under the clone's folders (originals, extracted text, work files) and the clone's avatar go. It runs before
/// the stores' rows are erased, because it finds the clones and documents through them.
/// </summary>
public sealed class KnowledgeEraser(ICloneStore clones, IDocumentStore documents, IKnowledgeIndex index, IBlobStore blobs) : IUserDataEraser
{
    public string Name => "knowledge";
    public int Order => 10;

    public async Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default)
    {
        foreach (var clone in await AllPages.ClonesAsync(clones, userId, cancellationToken))
        {
            foreach (var doc in await AllPages.DocumentsAsync(documents, clone.Id, cancellationToken))
            {
                await index.DeleteDocumentAsync(clone.Id, doc.Id, cancellationToken);
                await blobs.DeleteAsync(doc.BlobPath, cancellationToken);
            }
            foreach (var prefix in new[] { WorkFiles.KnowledgePrefix, "work/", "extracted/" })
                await blobs.DeletePrefixAsync($"{prefix}{clone.Id}/", cancellationToken);
            if (clone.AvatarBlob is not null) await blobs.DeleteAsync(clone.AvatarBlob, cancellationToken);
        }
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

/// <summary>Audit entries about the user (or by them, as an admin) keep what happened but name the pseudonym.</summary>
public sealed class AuditLogEraser(IAuditLog audit) : IUserDataEraser
{
    public string Name => "audit-log";

    public Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default) =>
        audit.PseudonymiseAsync(userId, pseudonym, cancellationToken);
}
