namespace CloneAI.Local.Knowledge;

/// <summary>
/// The row bookkeeping shared by a clone's in-memory indexes (<see cref="CloneVectors"/>, <see cref="CloneKeywords"/>): an
/// immutable snapshot of parallel arrays of each row's chunk rowid and document id, and a bitset of deleted rows. Readers use a
/// snapshot without locks; a writer (one at a time, under the clone's gate) derives the next one: <see cref="RemoveDocument"/>
/// copies only the bitset, <see cref="Reserve"/> makes room (growing the arrays, or compacting when half the rows are dead) and
/// <see cref="Append"/> writes past <see cref="Count"/> into spare capacity that no published snapshot reads. The owner keeps
/// its own per-row data (vectors, lengths) in arrays of <see cref="Capacity"/> rows and moves them as <see cref="Reserve"/> says.
/// </summary>
public sealed class RowTable
{
    public const int MinCapacity = 256;

    private readonly long[] _rowIds;
    private readonly string[] _documentIds;
    private readonly ulong[] _dead;

    private RowTable(long[] rowIds, string[] documentIds, ulong[] dead, int count, int deadCount)
    {
        _rowIds = rowIds;
        _documentIds = documentIds;
        _dead = dead;
        Count = count;
        DeadCount = deadCount;
    }

    /// <summary>No rows and no capacity.</summary>
    public static RowTable Empty { get; } = new([], [], [], 0, 0);

    /// <summary>Rows, dead ones included.</summary>
    public int Count { get; }

    public int DeadCount { get; }

    public int LiveCount => Count - DeadCount;

    /// <summary>Rows the arrays hold: rows past <see cref="Count"/> are a writer's spare room.</summary>
    public int Capacity => _rowIds.Length;

    /// <summary>Each row's chunk rowid.</summary>
    public ReadOnlySpan<long> RowIds => _rowIds.AsSpan(0, Count);

    /// <summary>The deleted-rows bitset (bit <c>row &amp; 63</c> of word <c>row &gt;&gt; 6</c>), empty when no row is dead.</summary>
    public ReadOnlySpan<ulong> DeadRows => DeadCount == 0 ? default : _dead;

    /// <summary>The rowid array (longer than <see cref="Count"/>), for a scan split across threads.</summary>
    internal long[] RowIdArray => _rowIds;

    /// <summary>The bitset array (covering <see cref="Capacity"/>; all zero when no row is dead), for loops that test bits inline.</summary>
    internal ulong[] DeadBits => _dead;

    public long RowId(int row) => _rowIds[row];

    public string DocumentId(int row) => _documentIds[row];

    public bool IsDead(int row) => IsSet(_dead, row);

    internal static bool IsSet(ulong[] bits, int row) => (bits[row >> 6] & (1UL << (row & 63))) != 0;

    /// <summary>Collects rows into a first snapshot (used when loading a clone); capacity doubles from <see cref="MinCapacity"/>.</summary>
    public sealed class Builder
    {
        private long[] _rowIds = new long[MinCapacity];
        private string[] _documentIds = new string[MinCapacity];

        public int Count { get; private set; }

        /// <summary>The arrays' length: an owner keeps its per-row arrays this long.</summary>
        public int Capacity => _rowIds.Length;

        /// <summary>Adds a row and returns its number; the capacity may have grown (compare <see cref="Capacity"/>).</summary>
        public int Add(long rowId, string documentId)
        {
            if (Count == _rowIds.Length)
            {
                var capacity = _rowIds.Length * 2;
                Array.Resize(ref _rowIds, capacity);
                Array.Resize(ref _documentIds, capacity);
            }
            _rowIds[Count] = rowId;
            _documentIds[Count] = documentId;
            return Count++;
        }

        public RowTable Build() => new(_rowIds, _documentIds, new ulong[(_rowIds.Length + 63) >> 6], Count, 0);
    }

    /// <summary>
    /// The next snapshot with the document's live rows marked dead (copy-on-write of the bitset only); each row marked is added to
    /// <paramref name="removed"/> when given, in row order. Only valid on the latest snapshot, under the clone's write gate.
    /// </summary>
    public RowTable RemoveDocument(string documentId, List<int>? removed = null)
    {
        var dead = _dead;
        var deadCount = DeadCount;
        for (var i = 0; i < Count; i++)
        {
            if (!string.Equals(_documentIds[i], documentId, StringComparison.Ordinal)) continue;
            if (IsSet(dead, i)) continue;
            if (ReferenceEquals(dead, _dead)) dead = (ulong[])_dead.Clone();
            dead[i >> 6] |= 1UL << (i & 63);
            deadCount++;
            removed?.Add(i);
        }
        return deadCount == DeadCount ? this : new RowTable(_rowIds, _documentIds, dead, Count, deadCount);
    }

    /// <summary>
    /// Room for <paramref name="adding"/> more rows. When half the rows (counting the new ones) are dead the live ones are
    /// compacted into new arrays and <paramref name="compacted"/> maps each old row to its new one (−1 for a dead row); else when
    /// the rows do not fit, or <paramref name="reallocate"/> asks for it, the arrays grow (at least doubling) and the rows keep
    /// their numbers; else nothing moves. Either way the owner's per-row arrays must follow the returned table's
    /// <see cref="Capacity"/> when it changed.
    /// </summary>
    public RowTable Reserve(int adding, bool reallocate, out int[]? compacted)
    {
        compacted = null;
        var needed = Count + adding;
        if (DeadCount > 0 && DeadCount * 2 >= needed)
        {
            var capacity = Math.Max(MinCapacity, (LiveCount + adding) * 3 / 2);
            var map = new int[Count];
            var ids = new long[capacity];
            var docs = new string[capacity];
            var n = 0;
            for (var i = 0; i < Count; i++)
            {
                if (IsSet(_dead, i))
                {
                    map[i] = -1;
                    continue;
                }
                map[i] = n;
                ids[n] = _rowIds[i];
                docs[n] = _documentIds[i];
                n++;
            }
            compacted = map;
            return new RowTable(ids, docs, new ulong[(capacity + 63) >> 6], n, 0);
        }
        if (needed > Capacity || reallocate)
        {
            var capacity = Math.Max(MinCapacity, Math.Max(needed, Capacity * 2));
            var ids = new long[capacity];
            Array.Copy(_rowIds, ids, Count);
            var docs = new string[capacity];
            Array.Copy(_documentIds, docs, Count);
            var dead = new ulong[(capacity + 63) >> 6];
            Array.Copy(_dead, dead, _dead.Length);
            return new RowTable(ids, docs, dead, Count, DeadCount);
        }
        return this;
    }

    /// <summary>
    /// The next snapshot with the rows appended for the document (numbered from <see cref="Count"/>), written past every published
    /// snapshot's <see cref="Count"/>; <see cref="Reserve"/> must have made room.
    /// </summary>
    public RowTable Append(string documentId, IReadOnlyList<long> rowIds)
    {
        if (rowIds.Count == 0) return this;
        if (Count + rowIds.Count > Capacity) throw new InvalidOperationException("Reserve room for the rows first.");
        for (var j = 0; j < rowIds.Count; j++)
        {
            _rowIds[Count + j] = rowIds[j];
            _documentIds[Count + j] = documentId;
        }
        return new RowTable(_rowIds, _documentIds, _dead, Count + rowIds.Count, DeadCount);
    }
}
