using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace CloneAI.Local.Knowledge;

/// <summary>
/// Document frequencies of query terms in <c>chunks_fts</c> (over all clones, as FTS5's BM25 counts them), cached: counting a
/// term's rows walks its doclist (~35 ns a row), some 30 times cheaper than ranking them. The cache is dropped whenever a
/// tenth of the rows has changed since it was filled.
/// </summary>
internal sealed class TermStatistics
{
    private const int MaxCachedTerms = 50_000;

    private readonly ConcurrentDictionary<string, long> _documentFrequency = new(StringComparer.Ordinal);
    private long _rows = -1;
    private long _changedRows;

    /// <summary>Records written or deleted rows.</summary>
    public void Changed(int rows)
    {
        var total = Interlocked.Read(ref _rows);
        if (Interlocked.Add(ref _changedRows, rows) * 10 > Math.Max(total, 1000))
        {
            _documentFrequency.Clear();
            Interlocked.Exchange(ref _rows, -1);
            Interlocked.Exchange(ref _changedRows, 0);
        }
    }

    /// <summary>Rows in the index and each term's document frequency.</summary>
    public long Frequencies(SqliteConnection connection, IReadOnlyList<string> terms, Span<long> frequencies)
    {
        var rows = Interlocked.Read(ref _rows);
        if (rows < 0)
        {
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM chunks";
            rows = (long)count.ExecuteScalar()!;
            Interlocked.Exchange(ref _rows, rows);
        }
        SqliteCommand? command = null;
        try
        {
            for (var i = 0; i < terms.Count; i++)
            {
                if (_documentFrequency.TryGetValue(terms[i], out var df))
                {
                    frequencies[i] = df;
                    continue;
                }
                if (command is null)
                {
                    command = connection.CreateCommand();
                    command.CommandText = "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH $term";
                    command.Parameters.Add("$term", SqliteType.Text);
                }
                command.Parameters[0].Value = "\"" + terms[i] + "\"";
                frequencies[i] = df = (long)command.ExecuteScalar()!;
                if (_documentFrequency.Count < MaxCachedTerms) _documentFrequency[terms[i]] = df;
            }
        }
        finally
        {
            command?.Dispose();
        }
        return rows;
    }
}
