using CloneAI.Core.Knowledge;

namespace CloneAI.Local.Knowledge;

/// <summary>
/// An immutable snapshot of one clone's vectors: one contiguous row-major <see cref="float"/> matrix beside a <see cref="RowTable"/>
/// (each row's chunk rowid and document id, and the deleted rows). A chunk has one row, or one per segment vector (consecutive
/// rows with the same rowid). Searches read a snapshot without locks; a writer (one at a time, under the clone's gate) derives
/// the next snapshot. Appends write past <see cref="Count"/> into spare capacity that no published snapshot reads, so they copy
/// nothing until the arrays grow; deletions copy only the bitset. When half the rows are dead the live rows are compacted into
/// new arrays.
/// </summary>
public sealed class CloneVectors
{
    private readonly float[] _matrix;
    private readonly RowTable _rows;

    private CloneVectors(IReadOnlyList<EmbeddingModelInfo> models, int dims, float[] matrix, RowTable rows)
    {
        Models = models;
        Dimensions = dims;
        _matrix = matrix;
        _rows = rows;
    }

    /// <summary>The models of the clone's chunks. More than one: the vectors are not comparable and none are held.</summary>
    public IReadOnlyList<EmbeddingModelInfo> Models { get; }

    public int Dimensions { get; }

    /// <summary>Rows in the matrix, dead ones included.</summary>
    public int Count => _rows.Count;

    public int DeadCount => _rows.DeadCount;

    public int LiveCount => _rows.LiveCount;

    public static CloneVectors Empty { get; } = new([], 0, [], RowTable.Empty);

    /// <summary>A clone whose chunks come from several models: kept only to report them.</summary>
    public static CloneVectors Mixed(IReadOnlyList<EmbeddingModelInfo> models) => new(models, 0, [], RowTable.Empty);

    public ReadOnlySpan<float> Matrix => _matrix.AsSpan(0, Count * Dimensions);

    /// <summary>Each row's chunk rowid.</summary>
    public ReadOnlySpan<long> RowIds => _rows.RowIds;

    public ReadOnlySpan<ulong> DeadRows => _rows.DeadRows;

    /// <summary>The backing arrays (longer than <see cref="Count"/> rows), for a scan split across threads.</summary>
    internal (float[] Matrix, long[] RowIds, ulong[]? Dead) Arrays => (_matrix, _rows.RowIdArray, DeadCount == 0 ? null : _rows.DeadBits);

    public long RowId(int row) => _rows.RowId(row);

    public string DocumentId(int row) => _rows.DocumentId(row);

    public bool IsDead(int row) => _rows.IsDead(row);

    /// <summary>Collects rows into a new snapshot (used when loading a clone).</summary>
    public sealed class Builder(EmbeddingModelInfo model)
    {
        private readonly RowTable.Builder _rows = new();
        private float[] _matrix = new float[RowTable.MinCapacity * model.Dimensions];

        public EmbeddingModelInfo Model { get; } = model;

        /// <summary>The next row's vector, to fill in; a chunk's rows (one per segment) must be added one after another.</summary>
        public Span<float> Add(long rowId, string documentId)
        {
            var row = _rows.Add(rowId, documentId);
            if (_rows.Capacity * Model.Dimensions > _matrix.Length) Array.Resize(ref _matrix, _rows.Capacity * Model.Dimensions);
            return _matrix.AsSpan(row * Model.Dimensions, Model.Dimensions);
        }

        public CloneVectors Build() => new([Model], Model.Dimensions, _matrix, _rows.Build());
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

        var rows = _rows.RemoveDocument(documentId).Reserve(rowIds.Count, reallocate: dims != Dimensions, out var compacted);
        var matrix = _matrix;
        if (compacted is not null)
        {
            // The live rows' vectors into a fresh matrix, in the table's new order.
            matrix = new float[rows.Capacity * dims];
            for (var i = 0; i < compacted.Length; i++)
            {
                if (compacted[i] >= 0) Array.Copy(_matrix, i * dims, matrix, compacted[i] * dims, dims);
            }
        }
        else if (rows.Capacity != _rows.Capacity || dims != Dimensions)
        {
            matrix = new float[rows.Capacity * dims];
            Array.Copy(_matrix, matrix, Count * dims);
        }

        // Append past every published snapshot's Count: readers of older snapshots never look there.
        for (var j = 0; j < rowIds.Count; j++) vectors[j].CopyTo(matrix, (rows.Count + j) * dims);
        return new CloneVectors([model], dims, matrix, rows.Append(documentId, rowIds));
    }
}
