using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using CloneAI.Core.Clones;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Data.Sqlite;
using CloneAI.Local.Sqlite;

namespace CloneAI.Local.Clones;

/// <summary>Clones in SQLite, with an FTS5 index over name, tagline, description and tags for the marketplace.</summary>
public sealed class SqliteCloneStore(SqliteDatabase db) : ICloneStore
{
    private const int MaxParsed = 20_000;

    // Every write stores a new random ETag, so an ETag names one immutable version of a clone: reuse its parsed record.
    private readonly ConcurrentDictionary<string, Clone> _parsed = new(StringComparer.Ordinal);

    public async Task<Clone?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT doc, etag FROM clones WHERE id = $id", ("$id", id));
        return (await ReadAllAsync(select, cancellationToken)).FirstOrDefault();
    }

    public async Task<Clone?> GetBySlugAsync(string slug, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT doc, etag FROM clones WHERE slug = $slug", ("$slug", slug));
        return (await ReadAllAsync(select, cancellationToken)).FirstOrDefault();
    }

    public async Task<Clone> CreateAsync(Clone clone, CancellationToken cancellationToken = default)
    {
        var stored = clone with { ETag = Json.NewETag() };
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using var insert = connection.Command(
                """
                INSERT INTO clones(id, slug, owner_id, status, category, sort_price, rating, session_count, published_at, created_at, doc, etag)
                VALUES ($id, $slug, $owner, $status, $category, $price, $rating, $sessions, $published, $created, $doc, $etag)
                RETURNING seq
                """, Columns(stored));
            insert.Transaction = tx;
            var seq = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
            await IndexAsync(connection, tx, seq, stored, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteExtensions.ConstraintError)
        {
            throw new ConflictException($"The address '{clone.Slug}' is taken. Choose another slug.");
        }
        return stored;
    }

    public async Task<Clone> ReplaceAsync(Clone clone, string? previousSlug, CancellationToken cancellationToken = default)
    {
        var stored = clone with { ETag = Json.NewETag() };
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        long? seq;
        try
        {
            await using var update = connection.Command(
                """
                UPDATE clones SET slug = $slug, owner_id = $owner, status = $status, category = $category, sort_price = $price,
                    rating = $rating, session_count = $sessions, published_at = $published, doc = $doc, etag = $etag
                WHERE id = $id AND etag = $previous
                RETURNING seq
                """, [.. Columns(stored), ("$previous", clone.ETag)]);
            update.Transaction = tx;
            seq = (long?)await update.ExecuteScalarAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteExtensions.ConstraintError)
        {
            throw new ConflictException($"The address '{clone.Slug}' is taken. Choose another slug.");
        }
        if (seq is null) throw new ConflictException("The clone was changed by another request. Reload and try again.");
        await IndexAsync(connection, tx, seq.Value, stored, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task<Page<Clone>> SearchPublishedAsync(MarketplaceQuery query, CancellationToken cancellationToken = default)
    {
        var offset = OffsetToken.Decode(query.ContinuationToken);
        var match = FtsQuery.Build(query.Query);
        if (query.Query is not null && match is null) return new Page<Clone>([], null);

        var (sql, parameters) = SearchSql(query, match, offset);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command(sql, [.. parameters]);
        var rows = await ReadAllAsync(select, cancellationToken);
        return OffsetToken.Paginate(rows, query.PageSize, offset);
    }

    /// <summary>
    /// The marketplace's query: published clones not hidden by moderation, filtered and in the asked order. Each order has an
    /// index that leads with (status, hiddenAt) (migration 24), so no row's document is parsed to filter it.
    /// </summary>
    internal static (string Sql, List<(string, object?)> Parameters) SearchSql(MarketplaceQuery query, string? match, int offset)
    {
        var sql = new StringBuilder("SELECT c.doc, c.etag FROM clones c ");
        var parameters = new List<(string, object?)> { ("$limit", query.PageSize + 1), ("$offset", offset) };
        if (match is not null)
        {
            sql.Append("JOIN clones_fts f ON f.rowid = c.seq WHERE clones_fts MATCH $match AND ");
            parameters.Add(("$match", match));
        }
        else
        {
            sql.Append("WHERE ");
        }
        // Hidden by moderation: out of the marketplace until an admin restores it.
        sql.Append("c.status = 'published' AND json_extract(c.doc, '$.hiddenAt') IS NULL");
        if (query.Category is not null) { sql.Append(" AND c.category = $category"); parameters.Add(("$category", query.Category)); }
        if (query.MinPrice is not null) { sql.Append(" AND c.sort_price >= $minPrice"); parameters.Add(("$minPrice", query.MinPrice)); }
        if (query.MaxPrice is not null) { sql.Append(" AND c.sort_price <= $maxPrice"); parameters.Add(("$maxPrice", query.MaxPrice)); }
        if (query.MinRating is not null) { sql.Append(" AND c.rating >= $minRating"); parameters.Add(("$minRating", query.MinRating)); }
        sql.Append(query.Sort switch
        {
            MarketplaceSort.Relevance when match is not null => " ORDER BY bm25(clones_fts, 10.0, 4.0, 1.0, 6.0), c.seq DESC",
            MarketplaceSort.Rating => " ORDER BY c.rating DESC, c.seq DESC",
            MarketplaceSort.Newest => " ORDER BY c.published_at DESC, c.seq DESC",
            MarketplaceSort.Price => " ORDER BY c.sort_price ASC, c.seq ASC",
            // The default order: clones an admin featured first, then the most used.
            _ => " ORDER BY COALESCE(json_extract(c.doc, '$.featured'), 0) DESC, c.session_count DESC, c.seq DESC",
        });
        sql.Append(" LIMIT $limit OFFSET $offset");
        return (sql.ToString(), parameters);
    }

    public async Task<Page<Clone>> ListByOwnerAsync(string ownerId, int pageSize, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var offset = OffsetToken.Decode(continuationToken);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command(
            "SELECT doc, etag FROM clones WHERE owner_id = $owner AND status <> 'deleted' ORDER BY created_at DESC, seq DESC LIMIT $limit OFFSET $offset",
            ("$owner", ownerId), ("$limit", pageSize + 1), ("$offset", offset));
        return OffsetToken.Paginate(await ReadAllAsync(select, cancellationToken), pageSize, offset);
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT 1");
        return Convert.ToInt64(await select.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1;
    }

    private static (string, object?)[] Columns(Clone c) =>
    [
        ("$id", c.Id), ("$slug", c.Slug), ("$owner", c.OwnerId), ("$status", c.Status), ("$category", c.Category),
        ("$price", c.SortPrice), ("$rating", c.Rating), ("$sessions", c.SessionCount), ("$published", c.PublishedAt?.ToUnixMs()),
        ("$created", c.CreatedAt.ToUnixMs()), ("$doc", Json.Write(c with { ETag = null })), ("$etag", c.ETag),
    ];

    private static async Task IndexAsync(SqliteConnection connection, SqliteTransaction tx, long seq, Clone clone, CancellationToken cancellationToken)
    {
        await using var delete = connection.Command("DELETE FROM clones_fts WHERE rowid = $seq", ("$seq", seq));
        delete.Transaction = tx;
        await delete.ExecuteNonQueryAsync(cancellationToken);
        if (clone.Status == CloneStatus.Deleted) return;
        await using var insert = connection.Command(
            "INSERT INTO clones_fts(rowid, name, tagline, description, tags) VALUES ($seq, $name, $tagline, $description, $tags)",
            ("$seq", seq), ("$name", clone.Name), ("$tagline", clone.Tagline), ("$description", clone.Description), ("$tags", string.Join(' ', clone.Tags)));
        insert.Transaction = tx;
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<List<Clone>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var list = new List<Clone>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var etag = reader.GetString(1);
            if (!_parsed.TryGetValue(etag, out var clone))
            {
                clone = Json.Read<Clone>(reader.GetString(0)) with { ETag = etag };
                if (_parsed.Count >= MaxParsed) _parsed.Clear();
                _parsed[etag] = clone;
            }
            list.Add(clone);
        }
        return list;
    }
}
