using System.Collections.Concurrent;

namespace CloneAI.Local.Knowledge;

/// <summary>One chunk's searchable fields, as the keyword index reads them.</summary>
public readonly record struct KeywordFields(string Text, string Title, string HeadingPath);

/// <summary>
/// An immutable snapshot of one clone's BM25 inverted index, the keyword counterpart of <see cref="CloneVectors"/>: per term a
/// postings list (row numbers ascending, weighted term frequencies) and per row its length, beside a <see cref="RowTable"/> (each
/// row's chunk rowid and document id, and the deleted rows). Searches read a snapshot without locks; a writer (one at a time, under the clone's gate) derives the next one.
/// Rows are only appended, so postings stay in row order: a writer appends past the counts published to readers, which never
/// look there (a snapshot also ignores postings of rows past its own <see cref="Count"/>); deletions copy only the bitset;
/// when half the rows are dead the live ones are compacted into a new index.
/// <para>
/// Scoring is BM25 over text, title and heading path the way FTS5's <c>bm25()</c> weights columns — a term's frequency in a row
/// is <c>tf(text) + 0.25 tf(title) + 0.25 tf(heading)</c> and a row's length counts the tokens of all three — with the
/// non-negative IDF <c>ln(1 + (N − df + 0.5) / (df + 0.5))</c>, k1 and b as the caller says (FTS5's 1.2 and 0.75 by default;
/// the index uses <see cref="Core.Knowledge.RetrievalOptions.Bm25K1"/> and <see cref="Core.Knowledge.RetrievalOptions.Bm25B"/>), and N, df
/// and the average length taken over the clone's live rows. On COVID-QA dev (bench/search --quality) this gives recall@5 0.790 and MRR@10 0.650 against
/// FTS5 <c>bm25(1.0, 0.5, 0.5)</c>'s 0.787 and 0.644 (which this index reproduces exactly with FTS5's IDF and weights 0.5).
/// </para>
/// </summary>
public sealed class CloneKeywords
{
    public const float K1 = 1.2f;
    public const float B = 0.75f;
    public const float TitleWeight = 0.25f;
    public const float HeadingWeight = 0.25f;

    /// <summary>The rows a query's scores accumulate in, indexed by row; all zero between searches.</summary>
    [ThreadStatic]
    private static float[]? t_accumulator;

    private readonly ConcurrentDictionary<string, Postings> _terms;
    private readonly RowTable _rows;
    private readonly float[] _lengths;

    private CloneKeywords(ConcurrentDictionary<string, Postings> terms, RowTable rows, float[] lengths, double totalLength)
    {
        _terms = terms;
        _rows = rows;
        _lengths = lengths;
        TotalLength = totalLength;
    }

    /// <summary>Rows, dead ones included.</summary>
    public int Count => _rows.Count;

    public int DeadCount => _rows.DeadCount;

    public int LiveCount => _rows.LiveCount;

    /// <summary>The summed lengths of the live rows.</summary>
    public double TotalLength { get; }

    /// <summary>Distinct terms in the index (some perhaps only in dead rows).</summary>
    public int TermCount => _terms.Count;

    public long RowId(int row) => _rows.RowId(row);

    public string DocumentId(int row) => _rows.DocumentId(row);

    public bool IsDead(int row) => _rows.IsDead(row);

    /// <summary>A new, empty index (each has its own term dictionary: never share one between clones).</summary>
    public static CloneKeywords CreateEmpty() => new Builder().Build();

    /// <summary>Collects rows into a new snapshot (used when loading a clone).</summary>
    public sealed class Builder
    {
        private readonly Writer _writer = new(new ConcurrentDictionary<string, Postings>(StringComparer.Ordinal));
        private readonly RowTable.Builder _rows = new();
        private float[] _lengths = new float[RowTable.MinCapacity];
        private double _total;

        public void Add(long rowId, string documentId, KeywordFields fields)
        {
            var row = _rows.Add(rowId, documentId);
            if (_rows.Capacity > _lengths.Length) Array.Resize(ref _lengths, _rows.Capacity);
            _total += _lengths[row] = _writer.AddRow(row, fields);
        }

        public CloneKeywords Build()
        {
            _writer.Publish();
            return new CloneKeywords(_writer.Terms, _rows.Build(), _lengths, _total);
        }
    }

    /// <summary>
    /// The next snapshot: the document's rows marked dead, then <paramref name="rowIds"/> appended with their fields. Only valid
    /// on the latest snapshot, under the clone's write gate.
    /// </summary>
    public CloneKeywords ReplaceDocument(string documentId, IReadOnlyList<long> rowIds, IReadOnlyList<KeywordFields> fields)
    {
        if (rowIds.Count != fields.Count) throw new ArgumentException("One set of fields per row.", nameof(fields));
        if (rowIds.Count == 0 && Count == 0) return this;

        var removed = new List<int>();
        var rows = _rows.RemoveDocument(documentId, removed);
        var total = TotalLength;
        foreach (var row in removed) total -= _lengths[row];

        rows = rows.Reserve(rowIds.Count, reallocate: false, out var compacted);
        var terms = _terms;
        var lengths = _lengths;
        if (compacted is not null)
        {
            (terms, lengths) = Compact(compacted, rows.Capacity);
        }
        else if (rows.Capacity != _rows.Capacity)
        {
            lengths = new float[rows.Capacity];
            Array.Copy(_lengths, lengths, Count);
        }

        // Append past every published snapshot's Count (and past every published postings count).
        var writer = new Writer(terms);
        for (var j = 0; j < rowIds.Count; j++)
        {
            var row = rows.Count + j;
            total += lengths[row] = writer.AddRow(row, fields[j]);
        }
        writer.Publish();
        rows = rows.Append(documentId, rowIds);
        if (rows.Count == rows.DeadCount) total = 0; // no drift once nothing is live
        return new CloneKeywords(terms, rows, lengths, total);
    }

    /// <summary>The term dictionary and lengths of the live rows, renumbered by <paramref name="map"/> (old row → new row, or −1).</summary>
    private (ConcurrentDictionary<string, Postings>, float[]) Compact(int[] map, int capacity)
    {
        var lengths = new float[capacity];
        for (var i = 0; i < map.Length; i++)
        {
            if (map[i] >= 0) lengths[map[i]] = _lengths[i];
        }
        var terms = new ConcurrentDictionary<string, Postings>(StringComparer.Ordinal);
        foreach (var (term, postings) in _terms)
        {
            var segment = postings.Published;
            var kept = 0;
            for (var i = 0; i < segment.Count; i++)
            {
                if (segment.Rows[i] < map.Length && map[segment.Rows[i]] >= 0) kept++;
            }
            if (kept == 0) continue;
            var rows = new int[kept];
            var tfs = new float[kept];
            kept = 0;
            for (var i = 0; i < segment.Count; i++)
            {
                if (segment.Rows[i] >= map.Length || map[segment.Rows[i]] < 0) continue;
                rows[kept] = map[segment.Rows[i]];
                tfs[kept++] = segment.Tfs[i];
            }
            terms[term] = new Postings(rows, tfs, kept);
        }
        return (terms, lengths);
    }

    /// <summary>
    /// The best <paramref name="k"/> live rows for the query terms (from <see cref="KeywordTokenizer.QueryTerms"/>), best first,
    /// into <paramref name="rows"/>/<paramref name="scores"/> (length ≥ k); returns how many were written. Terms in half the live
    /// rows or more are dropped when a rarer term matches (they carry almost no weight, and cost the most); when
    /// <paramref name="rowBudget"/> is positive, terms are kept rarest first while their summed document frequencies stay within it
    /// (the rarest is always kept).
    /// </summary>
    public int Search(IReadOnlyList<string> terms, int k, long rowBudget, Span<int> rows, Span<float> scores) =>
        Search(terms, k, rowBudget, rows, scores, K1, B);

    /// <inheritdoc cref="Search(IReadOnlyList{string}, int, long, Span{int}, Span{float})"/>
    /// <param name="k1">BM25 term-frequency saturation.</param>
    /// <param name="b">BM25 length normalisation.</param>
    public int Search(IReadOnlyList<string> terms, int k, long rowBudget, Span<int> rows, Span<float> scores, float k1, float b) =>
        Search(terms, default, k, rowBudget, rows, scores, k1, b);

    /// <inheritdoc cref="Search(IReadOnlyList{string}, int, long, Span{int}, Span{float}, float, float)"/>
    /// <param name="termWeights">Each term's weight (its BM25 contribution is multiplied by it; empty: all 1), for expanded queries.</param>
    public int Search(IReadOnlyList<string> terms, ReadOnlySpan<float> termWeights, int k, long rowBudget, Span<int> rows, Span<float> scores, float k1, float b)
    {
        if (!termWeights.IsEmpty && termWeights.Length != terms.Count) throw new ArgumentException("One weight per term.", nameof(termWeights));
        var live = LiveCount;
        if (k <= 0 || live == 0 || terms.Count == 0) return 0;
        k = Math.Min(k, live);

        // Each term's postings as this snapshot sees them, and its live document frequency.
        var df = terms.Count <= 64 ? stackalloc int[terms.Count] : new int[terms.Count];
        var segments = new Segment?[terms.Count];
        var prefix = terms.Count <= 64 ? stackalloc int[terms.Count] : new int[terms.Count];
        var found = 0;
        for (var t = 0; t < terms.Count; t++)
        {
            if (!_terms.TryGetValue(terms[t], out var postings)) continue;
            var segment = postings.Published;
            var n = segment.Count == 0 || segment.Rows[segment.Count - 1] < Count
                ? segment.Count
                : LowerBound(segment.Rows.AsSpan(0, segment.Count), Count);
            var d = n;
            if (DeadCount > 0)
            {
                var deadRows = _rows.DeadBits;
                foreach (var row in segment.Rows.AsSpan(0, n))
                {
                    if ((deadRows[row >> 6] & (1UL << (row & 63))) != 0) d--;
                }
            }
            if (d == 0) continue;
            segments[t] = segment;
            prefix[t] = n;
            df[t] = d;
            found++;
        }
        if (found == 0) return 0;

        // Rarest first; common terms only when nothing rarer matched; then the row budget.
        var order = new int[found];
        var keys = new int[found];
        for (int t = 0, j = 0; t < terms.Count; t++)
        {
            if (segments[t] is null) continue;
            order[j] = t;
            keys[j++] = df[t];
        }
        Array.Sort(keys, order);
        var anyRare = (long)keys[0] * 2 < live;
        var budget = rowBudget > 0 ? rowBudget : long.MaxValue;
        var selected = 0;
        long matched = 0;
        foreach (var t in order)
        {
            if (selected > 0 && ((anyRare && (long)df[t] * 2 >= live) || matched + df[t] > budget)) break;
            order[selected++] = t;
            matched += df[t];
        }

        var accumulator = t_accumulator;
        if (accumulator is null || accumulator.Length < Count) t_accumulator = accumulator = new float[Math.Max(Count, 1024)];
        var hasDead = DeadCount > 0;
        var dead = _rows.DeadBits;
        var lengths = _lengths;
        var c0 = k1 * (1 - b);
        var c1 = (float)(k1 * b / (TotalLength / live));
        try
        {
            for (var s = 0; s < selected; s++)
            {
                var t = order[s];
                var segment = segments[t]!;
                var idf = (float)Math.Log(1 + (live - df[t] + 0.5) / (df[t] + 0.5));
                var weight = idf * (k1 + 1) * (termWeights.IsEmpty ? 1f : termWeights[t]);
                var postingRows = segment.Rows.AsSpan(0, prefix[t]);
                var tfs = segment.Tfs.AsSpan(0, prefix[t]);
                for (var i = 0; i < postingRows.Length; i++)
                {
                    var row = postingRows[i];
                    if (hasDead && (dead[row >> 6] & (1UL << (row & 63))) != 0) continue;
                    var tf = tfs[i];
                    accumulator[row] += weight * tf / (tf + c0 + c1 * lengths[row]);
                }
            }

            // Each matched row once: its score into the heap, and its slot back to zero.
            var heap = new TopKHeap(rows[..k], scores[..k]);
            for (var s = 0; s < selected; s++)
            {
                var t = order[s];
                foreach (var row in segments[t]!.Rows.AsSpan(0, prefix[t]))
                {
                    var score = accumulator[row];
                    if (score == 0) continue;
                    accumulator[row] = 0;
                    heap.Push(row, score);
                }
            }
            return heap.SortDescending();
        }
        catch
        {
            Array.Clear(accumulator);
            throw;
        }
    }

    /// <summary>The live rows that hold <paramref name="term"/> (an indexed, stemmed term).</summary>
    public int DocumentFrequency(string term)
    {
        if (!_terms.TryGetValue(term, out var postings)) return 0;
        var segment = postings.Published;
        var n = segment.Count == 0 || segment.Rows[segment.Count - 1] < Count ? segment.Count : LowerBound(segment.Rows.AsSpan(0, segment.Count), Count);
        if (DeadCount == 0) return n;
        var d = n;
        foreach (var row in segment.Rows.AsSpan(0, n))
        {
            if (_rows.IsDead(row)) d--;
        }
        return d;
    }

    private static int LowerBound(ReadOnlySpan<int> sorted, int value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>A published, immutable view of a postings list: the first <see cref="Count"/> entries of the arrays.</summary>
    private sealed class Segment(int[] rows, float[] tfs, int count)
    {
        public static readonly Segment Empty = new([], [], 0);

        public readonly int[] Rows = rows;
        public readonly float[] Tfs = tfs;
        public readonly int Count = count;
    }

    /// <summary>A term's postings: the readers' <see cref="Published"/> segment and the writer's arrays (which may run ahead).</summary>
    private sealed class Postings
    {
        private volatile Segment _published;

        public Postings() => _published = Segment.Empty;

        public Postings(int[] rows, float[] tfs, int count)
        {
            Rows = rows;
            Tfs = tfs;
            Count = count;
            _published = new Segment(rows, tfs, count);
        }

        public Segment Published => _published;

        // The writer's side (under the clone's gate).
        public int[] Rows = [];
        public float[] Tfs = [];
        public int Count;
        public int PendingRow = -1;
        public float PendingTf;

        public void Append(int row, float tf)
        {
            if (Count == Rows.Length)
            {
                var capacity = Math.Max(4, Rows.Length * 2);
                var rows = new int[capacity];
                Array.Copy(Rows, rows, Count);
                var tfs = new float[capacity];
                Array.Copy(Tfs, tfs, Count);
                (Rows, Tfs) = (rows, tfs);
            }
            Rows[Count] = row;
            Tfs[Count] = tf;
            Count++;
        }

        public void Publish()
        {
            if (_published.Count != Count || !ReferenceEquals(_published.Rows, Rows)) _published = new Segment(Rows, Tfs, Count);
        }
    }

    /// <summary>Tokenises rows into a term dictionary's postings (the writer's arrays), then publishes what it touched.</summary>
    private sealed class Writer
    {
        /// <summary>Most word forms remembered with their term (a bound on the cache for odd, huge vocabularies).</summary>
        private const int MaxSurfaceForms = 1 << 20;

        private readonly ConcurrentDictionary<string, Postings>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private readonly Dictionary<string, Postings> _surface = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Postings>.AlternateLookup<ReadOnlySpan<char>> _surfaceLookup;
        private readonly List<Postings> _row = [];
        private readonly HashSet<Postings> _touched = new(ReferenceEqualityComparer.Instance);
        private readonly char[] _buffer = new char[KeywordTokenizer.MaxTokenLength];
        private readonly char[] _stemBuffer = new char[KeywordTokenizer.MaxTokenLength];

        public Writer(ConcurrentDictionary<string, Postings> terms)
        {
            Terms = terms;
            _lookup = terms.GetAlternateLookup<ReadOnlySpan<char>>();
            _surfaceLookup = _surface.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public ConcurrentDictionary<string, Postings> Terms { get; }

        /// <summary>Adds the row's postings (rows must come in ascending order); returns its length in tokens.</summary>
        public float AddRow(int row, KeywordFields fields)
        {
            var length = Add(row, fields.Text, 1f) + Add(row, fields.Title, TitleWeight) + Add(row, fields.HeadingPath, HeadingWeight);
            foreach (var postings in _row)
            {
                postings.Append(row, postings.PendingTf);
                postings.PendingRow = -1;
                _touched.Add(postings);
            }
            _row.Clear();
            return length;
        }

        private int Add(int row, string? text, float weight)
        {
            if (string.IsNullOrEmpty(text)) return 0;
            var tokens = 0;
            var buffer = _buffer.AsSpan();
            var reader = new KeywordTokenizer.Reader(text);
            while (reader.Next(buffer, out var length, out var ascii))
            {
                // Word forms repeat (Zipf): look the folded form up before stemming it.
                var token = buffer[..length];
                if (!_surfaceLookup.TryGetValue(token, out var postings))
                {
                    var stem = _stemBuffer.AsSpan(0, length);
                    token.CopyTo(stem);
                    var term = stem[..KeywordTokenizer.Term(stem, ascii)];
                    if (!_lookup.TryGetValue(term, out postings))
                    {
                        postings = new Postings();
                        _lookup.TryAdd(term, postings);
                    }
                    if (_surface.Count < MaxSurfaceForms) _surfaceLookup.TryAdd(token, postings);
                }
                if (postings.PendingRow != row)
                {
                    postings.PendingRow = row;
                    postings.PendingTf = 0;
                    _row.Add(postings);
                }
                postings.PendingTf += weight;
                tokens++;
            }
            return tokens;
        }

        public void Publish()
        {
            foreach (var postings in _touched) postings.Publish();
            _touched.Clear();
        }
    }
}
