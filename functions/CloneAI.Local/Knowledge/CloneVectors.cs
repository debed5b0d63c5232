using CloneAI.Core.Knowledge;

namespace CloneAI.Local.Knowledge;

/// <summary>
/// An immutable snapshot of one clone's vectors: one contiguous row-major <see cref="float"/> matrix with parallel arrays of each
/// row's chunk rowid and document id, and a bitset of deleted rows. A chunk has one row, or one per segment vector (consecutive
/// rows with the same rowid). Searches read a snapshot without locks; a writer (one at a
/// time, under the clone's gate) derives the next snapshot. Appends write past <see cref="Count"/> into spare capacity that no
/// published snapshot reads, so they copy nothing until the arrays grow; deletions copy only the bitset. When half the rows are
/// dead the live rows are compacted into new arrays.
/// </summary>
public sealed class CloneVectors
{
    private const int MinCapacity = 256;

    private readonly float[] _matrix;
    private readonly long[] _rowIds;
    private readonly string[] _documentIds;
    private readonly ulong[] _dead;

    private CloneVectors(
        IReadOnlyList<EmbeddingModelInfo> models, int dims, float[] matrix, long[] rowIds, string[] documentIds, ulong[] dead, int count, int deadCount)
    {
        Models = models;
        Dimensions = dims;
        _matrix = matrix;
        _rowIds = rowIds;
        _documentIds = documentIds;
        _dead = dead;
        Count = count;
        DeadCount = deadCount;
    }

    /// <summary>The models of the clone's chunks. More than one: the vectors are not comparable and none are held.</summary>
    public IReadOnlyList<EmbeddingModelInfo> Models { get; }

    public int Dimensions { get; }

    /// <summary>Rows in the matrix, dead ones included.</summary>
    public int Count { get; }

    public int DeadCount { get; }

    public int LiveCount => Count - DeadCount;

    public static CloneVectors Empty { get; } = new([], 0, [], [], [], [], 0, 0);

    /// <summary>A clone whose chunks come from several models: kept only to report them.</summary>
    public static CloneVectors Mixed(IReadOnlyList<EmbeddingModelInfo> models) => new(models, 0, [], [], [], [], 0, 0);

    public ReadOnlySpan<float> Matrix => _matrix.AsSpan(0, Count * Dimensions);

    /// <summary>Each row's chunk rowid.</summary>
    public ReadOnlySpan<long> RowIds => _rowIds.AsSpan(0, Count);

    public ReadOnlySpan<ulong> DeadRows => DeadCount == 0 ? default : _dead;

    /// <summary>The backing arrays (longer than <see cref="Count"/> rows), for a scan split across threads.</summary>
    internal (float[] Matrix, long[] RowIds, ulong[]? Dead) Arrays => (_matrix, _rowIds, DeadCount == 0 ? null : _dead);

    public long RowId(int row) => _rowIds[row];

    public string DocumentId(int row) => _documentIds[row];

    public bool IsDead(int row) => (_dead[row >> 6] & (1UL << (row & 63))) != 0;

    /// <summary>Collects rows into a new snapshot (used when loading a clone).</summary>
    public sealed class Builder(EmbeddingModelInfo model)
    {
        private float[] _matrix = new float[MinCapacity * model.Dimensions];
        private long[] _rowIds = new long[MinCapacity];
        private string[] _documentIds = new string[MinCapacity];
        private int _count;

        public EmbeddingModelInfo Model { get; } = model;

        /// <summary>The next row's vector, to fill in; a chunk's rows (one per segment) must be added one after another.</summary>
        public Span<float> Add(long rowId, string documentId)
        {
            if (_count == _rowIds.Length)
            {
                var capacity = _rowIds.Length * 2;
                Array.Resize(ref _matrix, capacity * Model.Dimensions);
                Array.Resize(ref _rowIds, capacity);
                Array.Resize(ref _documentIds, capacity);
            }
            _rowIds[_count] = rowId;
            _documentIds[_count] = documentId;
            return _matrix.AsSpan(_count++ * Model.Dimensions, Model.Dimensions);
        }

        public CloneVectors Build() =>
            new([Model], Model.Dimensions, _matrix, _rowIds, _documentIds, new ulong[(_rowIds.Length + 63) >> 6], _count, 0);
    }

    /// <summary>
    /// The next snapshot: the document's rows marked dead, then <paramref name="rowIds"/> appended with their vectors (made by
    /// <paramref name="model"/>, which must be this snapshot's model unless no row is live); a chunk with segment vectors repeats
    /// its rowid once per vector, consecutively. Only valid on the latest snapshot,
    /// under the clone's write gate.
    /// </summary>
    public CloneVectors ReplaceDocument(string documentId, EmbeddingModelInfo? model, IReadOnlyList<long> rowIds, IReadOnlyList<float[]> vectors)
    {
        if (Models.Count > 1) throw new InvalidOperationException("Mixed-model snapshots are not updated.");
        if (rowIds.Count != vectors.Count) throw new ArgumentException("One vector per row.", nameof(vectors));
        if (rowIds.Count > 0)
        {
            ArgumentNullException.ThrowIfNull(model);
            if (LiveCount == 0 && Count > 0) return Empty.ReplaceDocument(documentId, model, rowIds, vectors);
            if (Models.Count == 1 && Models[0] != model) throw new InvalidOperationException("The model differs from the snapshot's.");
            foreach (var v in vectors)
            {
                if (v.Length != model.Dimensions) throw new ArgumentException($"A vector has {v.Length} dimensions, not {model.Dimensions}.", nameof(vectors));
            }
        }
        else if (Count == 0)
        {
            return this;
        }
        model ??= Models[0];
        var dims = model.Dimensions;

        // Mark the document's old rows dead (copy-on-write of the bitset only).
        var dead = _dead;
        var deadCount = DeadCount;
        for (var i = 0; i < Count; i++)
        {
            if (!string.Equals(_documentIds[i], documentId, StringComparison.Ordinal)) continue;
            if ((dead[i >> 6] & (1UL << (i & 63))) != 0) continue;
            if (ReferenceEquals(dead, _dead)) dead = (ulong[])_dead.Clone();
            dead[i >> 6] |= 1UL << (i & 63);
            deadCount++;
        }

        var matrix = _matrix;
        var ids = _rowIds;
        var docs = _documentIds;
        var count = Count;
        var needed = count + rowIds.Count;
        if (deadCount > 0 && deadCount * 2 >= needed)
        {
            // Compact: the live rows into fresh arrays.
            var live = count - deadCount;
            var capacity = Math.Max(MinCapacity, (live + rowIds.Count) * 3 / 2);
            var m = new float[capacity * dims];
            var r = new long[capacity];
            var d = new string[capacity];
            var n = 0;
            for (var i = 0; i < count; i++)
            {
                if ((dead[i >> 6] & (1UL << (i & 63))) != 0) continue;
                Array.Copy(matrix, i * dims, m, n * dims, dims);
                r[n] = ids[i];
                d[n] = docs[i];
                n++;
            }
            (matrix, ids, docs, count, deadCount, dead) = (m, r, d, n, 0, new ulong[(capacity + 63) >> 6]);
        }
        else if (needed > ids.Length || dims != Dimensions)
        {
            var capacity = Math.Max(MinCapacity, Math.Max(needed, ids.Length * 2));
            var m = new float[capacity * dims];
            Array.Copy(matrix, m, count * dims);
            var r = new long[capacity];
            Array.Copy(ids, r, count);
            var d = new string[capacity];
            Array.Copy(docs, d, count);
            var b = new ulong[(capacity + 63) >> 6];
            Array.Copy(dead, b, dead.Length);
            (matrix, ids, docs, dead) = (m, r, d, b);
        }

        // Append past every published snapshot's Count: readers of older snapshots never look there.
        for (var j = 0; j < rowIds.Count; j++)
        {
            vectors[j].CopyTo(matrix, (count + j) * dims);
            ids[count + j] = rowIds[j];
            docs[count + j] = documentId;
        }
        count += rowIds.Count;
        return new CloneVectors([model], dims, matrix, ids, docs, dead, count, deadCount);
    }
}
