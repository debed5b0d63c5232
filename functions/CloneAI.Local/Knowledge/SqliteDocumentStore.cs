using System.Text;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using Microsoft.Data.Sqlite;
using CloneAI.Local.Sqlite;

namespace CloneAI.Local.Knowledge;

/// <summary>Knowledge documents in SQLite; (clone, SHA-256) is unique, so the same file is never stored twice in one clone.</summary>
public sealed class SqliteDocumentStore(SqliteDatabase db) : IDocumentStore
{
    public async Task<KnowledgeDocument> CreateAsync(KnowledgeDocument document, CancellationToken cancellationToken = default)
    {
        var stored = document with { ETag = Json.NewETag() };
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using var insert = connection.Command(
                "INSERT INTO documents(id, clone_id, sha256, status, created_at, doc, etag) VALUES ($id, $clone, $sha, $status, $created, $doc, $etag)",
                ("$id", stored.Id), ("$clone", stored.CloneId), ("$sha", stored.Sha256), ("$status", stored.Status),
                ("$created", stored.CreatedAt.ToUnixMs()), ("$doc", Json.Write(stored with { ETag = null })), ("$etag", stored.ETag));
            insert.Transaction = tx;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteExtensions.ConstraintError)
        {
            throw new ConflictException("This clone already has a document with the same content.");
        }
        await WriteTagsAsync(connection, tx, stored, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task<KnowledgeDocument?> GetAsync(string cloneId, string documentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT doc, etag FROM documents WHERE id = $id AND clone_id = $clone", ("$id", documentId), ("$clone", cloneId));
        return (await ReadAllAsync(select, cancellationToken)).FirstOrDefault();
    }

    public async Task<KnowledgeDocument?> FindByHashAsync(string cloneId, string sha256, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT doc, etag FROM documents WHERE clone_id = $clone AND sha256 = $sha", ("$clone", cloneId), ("$sha", sha256));
        return (await ReadAllAsync(select, cancellationToken)).FirstOrDefault();
    }

    public async Task<KnowledgeDocument> ReplaceAsync(KnowledgeDocument document, CancellationToken cancellationToken = default)
    {
        var stored = document with { ETag = Json.NewETag() };
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var update = connection.Command(
            "UPDATE documents SET status = $status, doc = $doc, etag = $etag WHERE id = $id AND clone_id = $clone AND etag = $previous",
            ("$id", stored.Id), ("$clone", stored.CloneId), ("$status", stored.Status), ("$doc", Json.Write(stored with { ETag = null })),
            ("$etag", stored.ETag), ("$previous", document.ETag));
        update.Transaction = tx;
        if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            throw new ConflictException("The document was changed by another request. Reload and try again.");
        await WriteTagsAsync(connection, tx, stored, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task DeleteAsync(string cloneId, string documentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var delete = connection.Command("DELETE FROM documents WHERE id = $id AND clone_id = $clone", ("$id", documentId), ("$clone", cloneId));
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Page<KnowledgeDocument>> ListAsync(string cloneId, DocumentFilter filter, CancellationToken cancellationToken = default)
    {
        var offset = OffsetToken.Decode(filter.ContinuationToken);
        var sql = new StringBuilder("SELECT d.doc, d.etag FROM documents d WHERE d.clone_id = $clone");
        var parameters = new List<(string, object?)> { ("$clone", cloneId), ("$limit", filter.PageSize + 1), ("$offset", offset) };
        if (filter.Status is not null) { sql.Append(" AND d.status = $status"); parameters.Add(("$status", filter.Status)); }
        if (filter.Tag is not null)
        {
            sql.Append(" AND EXISTS (SELECT 1 FROM document_tags t WHERE t.document_id = d.id AND t.tag = $tag)");
            parameters.Add(("$tag", filter.Tag.ToLowerInvariant()));
        }
        sql.Append(" ORDER BY d.created_at DESC, d.id DESC LIMIT $limit OFFSET $offset");
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command(sql.ToString(), [.. parameters]);
        return OffsetToken.Paginate(await ReadAllAsync(select, cancellationToken), filter.PageSize, offset);
    }

    public async Task<IReadOnlyList<KnowledgeDocument>> ListUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT doc, etag FROM documents WHERE status IN ('uploaded', 'processing') ORDER BY created_at");
        return await ReadAllAsync(select, cancellationToken);
    }

    public async Task<KnowledgeStats> GetStatsAsync(string cloneId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT doc, etag FROM documents WHERE clone_id = $clone", ("$clone", cloneId));
        var all = await ReadAllAsync(select, cancellationToken);
        return new KnowledgeStats(
            all.Count,
            all.Count(d => d.Status == DocumentStatus.Ready),
            all.Count(d => d.Status is DocumentStatus.Uploaded or DocumentStatus.Processing),
            all.Count(d => d.Status == DocumentStatus.Failed),
            all.Where(d => d.Status == DocumentStatus.Ready).Sum(d => d.ChunkCount),
            all.Where(d => d.Status == DocumentStatus.Ready).Sum(d => (long)d.TokenCount),
            all.Sum(d => d.Size),
            all.Select(d => d.EmbeddingModel).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
    }

    private static async Task WriteTagsAsync(SqliteConnection connection, SqliteTransaction tx, KnowledgeDocument document, CancellationToken cancellationToken)
    {
        await using var clear = connection.Command("DELETE FROM document_tags WHERE document_id = $id", ("$id", document.Id));
        clear.Transaction = tx;
        await clear.ExecuteNonQueryAsync(cancellationToken);
        foreach (var tag in document.Tags.Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal))
        {
            await using var insert = connection.Command("INSERT INTO document_tags(document_id, tag) VALUES ($id, $tag)", ("$id", document.Id), ("$tag", tag));
            insert.Transaction = tx;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task<List<KnowledgeDocument>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var list = new List<KnowledgeDocument>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) list.Add(Json.Read<KnowledgeDocument>(reader.GetString(0)) with { ETag = reader.GetString(1) });
        return list;
    }
}
