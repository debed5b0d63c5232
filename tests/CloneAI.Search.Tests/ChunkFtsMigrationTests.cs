using CloneAI.Core.Knowledge;
using CloneAI.Local.Knowledge;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using CloneAI.Local.Sqlite;
using static CloneAI.Search.Tests.TestData;

namespace CloneAI.Search.Tests;

/// <summary>Migration 5: a data folder made before it loses the chunk FTS5 table and its triggers, and keeps its chunks.</summary>
public sealed class ChunkFtsMigrationTests : IDisposable
{
    /// <summary>What migration 3 used to create besides the chunks table.</summary>
    private const string OldChunkFts = """
        CREATE VIRTUAL TABLE chunks_fts USING fts5(text, title, heading_path, content = 'chunks', content_rowid = 'seq',
            tokenize = 'porter unicode61 remove_diacritics 2');
        CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN
            INSERT INTO chunks_fts(rowid, text, title, heading_path) VALUES (new.seq, new.text, new.title, new.heading_path);
        END;
        CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, text, title, heading_path) VALUES ('delete', old.seq, old.text, old.title, old.heading_path);
        END;
        CREATE TRIGGER chunks_fts_update AFTER UPDATE ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, text, title, heading_path) VALUES ('delete', old.seq, old.text, old.title, old.heading_path);
            INSERT INTO chunks_fts(rowid, text, title, heading_path) VALUES (new.seq, new.text, new.title, new.heading_path);
        END;
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cloneai-migration-tests-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_dir, "cloneai.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Fact]
    public async Task An_old_data_folder_loses_the_chunk_fts_table_and_keeps_its_chunks_searchable()
    {
        // A data folder at schema version 4: the chunk FTS5 table and its triggers, filled by real upserts.
        var random = new Random(5);
        var old = Open();
        await Execute(old, OldChunkFts + "DELETE FROM schema_version WHERE version >= 5;");
        var oldIndex = new SqliteKnowledgeIndex(old, Options.Create(new RetrievalOptions()));
        await oldIndex.UpsertDocumentAsync("c", "whales", ModelA,
            [Chunk("c", "whales", 0, "humpback whales sing long songs", Axis(0)), Chunk("c", "whales", 1, "blue whales eat krill", Axis(1))]);
        await oldIndex.UpsertDocumentAsync("c", "trees", ModelA, [Chunk("c", "trees", 0, "oak trees shed leaves", Axis(2))]);
        await oldIndex.UpsertDocumentAsync("c", "trees", ModelA, [Chunk("c", "trees", 0, "oak trees drop acorns", Axis(2))]); // the update trigger's path
        Assert.Equal(2, await Scalar(old, "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH 'whales'"));
        Assert.Equal(4, await Scalar(old, "SELECT count(*) FROM sqlite_master WHERE name = 'chunks_fts' OR type = 'trigger'"));
        Assert.Equal(4, await Scalar(old, "SELECT max(version) FROM schema_version"));
        SqliteConnection.ClearAllPools();

        // Opening it again migrates it.
        var migrated = Open();
        Assert.Equal(24, await Scalar(migrated, "SELECT max(version) FROM schema_version")); // 5 and every later migration
        Assert.Equal(0, await Scalar(migrated, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'chunks_fts%'"));
        Assert.Equal(0, await Scalar(migrated, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"));
        Assert.Equal(3, await Scalar(migrated, "SELECT count(*) FROM chunks"));
        Assert.Equal(1, await Scalar(migrated, "SELECT count(*) FROM chunks WHERE document_id = 'trees' AND text = 'oak trees drop acorns'"));

        // The chunks are searched as before, and writes work without the triggers.
        var index = new SqliteKnowledgeIndex(migrated, Options.Create(new RetrievalOptions()));
        var whales = await index.SearchAsync(new KnowledgeQuery("c", "whales", null, SearchModes.Keyword, 10, 10, ModelA));
        Assert.Equal(["whales-00000", "whales-00001"], whales.Select(h => h.ChunkId).Order());
        var hybrid = await index.SearchAsync(new KnowledgeQuery("c", "acorns", Axis(2), SearchModes.Hybrid, 1, 10, ModelA));
        Assert.Equal("trees-00000", Assert.Single(hybrid).ChunkId);
        await index.UpsertDocumentAsync("c", "whales", ModelA, [Chunk("c", "whales", 0, "orcas hunt seals", Unit(random, 8))]);
        await index.DeleteDocumentAsync("c", "trees");
        Assert.Equal(1, await Scalar(migrated, "SELECT count(*) FROM chunks"));
        Assert.Equal("whales-00000", Assert.Single(await index.SearchAsync(new KnowledgeQuery("c", "orcas", null, SearchModes.Keyword, 10, 10, ModelA))).ChunkId);
        Assert.Empty(await index.SearchAsync(new KnowledgeQuery("c", "acorns", null, SearchModes.Keyword, 10, 10, ModelA)));

        // A database made now never has the table.
        SqliteConnection.ClearAllPools();
        var fresh = new SqliteDatabase(Path.Combine(_dir, "fresh.db"), NullLogger<SqliteDatabase>.Instance);
        Assert.Equal(0, await Scalar(fresh, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'chunks_fts%' OR type = 'trigger'"));
        Assert.Equal(1, await Scalar(fresh, "SELECT count(*) FROM sqlite_master WHERE name = 'clones_fts'")); // the marketplace's stays
    }

    private SqliteDatabase Open() => new(DatabasePath, NullLogger<SqliteDatabase>.Instance);

    private static async Task Execute(SqliteDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> Scalar(SqliteDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
