using CloneAI.Core.Knowledge;
using CloneAI.Local.Knowledge;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using CloneAI.Local.Sqlite;

namespace CloneAI.Search.Tests;

internal static class TestData
{
    public static readonly EmbeddingModelInfo ModelA = new("test-model-a", 8);
    public static readonly EmbeddingModelInfo ModelB = new("test-model-b", 8);

    public static float[] Unit(Random random, int dims)
    {
        var v = new float[dims];
        double norm = 0;
        for (var i = 0; i < dims; i++)
        {
            v[i] = (float)(random.NextDouble() * 2 - 1);
            norm += v[i] * v[i];
        }
        var inv = (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < dims; i++) v[i] *= inv;
        return v;
    }

    /// <summary>A unit vector along one axis (exact, easy to reason about).</summary>
    public static float[] Axis(int axis, int dims = 8)
    {
        var v = new float[dims];
        v[axis] = 1;
        return v;
    }

    public static IndexedChunk Chunk(string cloneId, string documentId, int ordinal, string text, float[] vector, string title = "Doc title") =>
        new(new TextChunk(TextChunk.MakeId(documentId, ordinal), documentId, ordinal, ordinal * 100, ordinal * 100 + text.Length, ordinal + 1,
            "Intro > Part", text, text.Length / 4), cloneId, documentId + ".txt", title, vector);
}

/// <summary>A temporary SQLite database with the migrations applied, and an index on it.</summary>
internal sealed class TempIndex : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cloneai-search-tests-" + Guid.NewGuid().ToString("N"));

    public TempIndex(RetrievalOptions? options = null)
    {
        Database = new SqliteDatabase(Path.Combine(_dir, "cloneai.db"), NullLogger<SqliteDatabase>.Instance);
        Index = new SqliteKnowledgeIndex(Database, Options.Create(options ?? new RetrievalOptions()));
    }

    public SqliteDatabase Database { get; }

    public SqliteKnowledgeIndex Index { get; }

    public long Scalar(string sql)
    {
        using var connection = Database.OpenAsync().GetAwaiter().GetResult();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
