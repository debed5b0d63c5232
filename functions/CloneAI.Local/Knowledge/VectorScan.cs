using System.Numerics.Tensors;

namespace CloneAI.Local.Knowledge;

/// <summary>An exact nearest-neighbour scan: dot products over a row-major matrix and a bounded min-heap of the best rows (or row groups).</summary>
public static class VectorScan
{
    /// <summary>
    /// The <paramref name="k"/> rows of <paramref name="matrix"/> (<paramref name="count"/> rows of <paramref name="dims"/> floats)
    /// with the largest dot product with <paramref name="query"/>, best first. <paramref name="skip"/> (optional bitset) excludes rows.
    /// With <paramref name="groups"/>, consecutive rows with the same value (a chunk's segment vectors) form one candidate scored
    /// by its best row, and the k best groups are reported by their best rows.
    /// Writes into <paramref name="rows"/>/<paramref name="scores"/> (length ≥ k) and returns how many were written.
    /// </summary>
    public static int TopK(
        ReadOnlySpan<float> matrix, int dims, int count, ReadOnlySpan<float> query, int k, Span<int> rows, Span<float> scores,
        ReadOnlySpan<ulong> skip = default, ReadOnlySpan<long> groups = default) =>
        TopKRange(matrix, dims, 0, count, query, k, rows, scores, skip, groups);

    /// <summary>
    /// <see cref="TopK"/> split into <paramref name="partitions"/> ranges of rows scanned on pool threads, each with its own heap,
    /// then merged: the same result, sooner on several cores. Range ends move forward to a group boundary, so a chunk's rows are
    /// never split between two ranges.
    /// </summary>
    public static int TopKParallel(
        float[] matrix, int dims, int count, float[] query, int k, int[] rows, float[] scores, ulong[]? skip, long[]? groups, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(query.Length, dims);
        if (k <= 0 || count <= 0) return 0;
        k = Math.Min(k, count);
        partitions = Math.Clamp(partitions, 1, Math.Max(1, count / 1024));
        if (partitions == 1) return TopKRange(matrix, dims, 0, count, query, k, rows, scores, skip, groups);
        var bounds = new int[partitions + 1];
        bounds[partitions] = count;
        for (var p = 1; p < partitions; p++)
        {
            var b = Math.Max(bounds[p - 1], (int)((long)count * p / partitions));
            while (groups is not null && b > 0 && b < count && groups[b] == groups[b - 1]) b++;
            bounds[p] = b;
        }
        var partRows = new int[partitions][];
        var partScores = new float[partitions][];
        var found = new int[partitions];
        Parallel.For(0, partitions, new ParallelOptions { MaxDegreeOfParallelism = partitions }, p =>
        {
            partRows[p] = new int[k];
            partScores[p] = new float[k];
            found[p] = TopKRange(matrix, dims, bounds[p], bounds[p + 1], query, k, partRows[p], partScores[p], skip, groups);
        });
        var heap = new TopKHeap(rows.AsSpan(0, k), scores.AsSpan(0, k));
        for (var p = 0; p < partitions; p++)
            for (var i = 0; i < found[p]; i++) heap.Push(partRows[p][i], partScores[p][i]);
        return heap.SortDescending();
    }

    private static int TopKRange(
        ReadOnlySpan<float> matrix, int dims, int start, int end, ReadOnlySpan<float> query, int k, Span<int> rows, Span<float> scores,
        ReadOnlySpan<ulong> skip, ReadOnlySpan<long> groups)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(query.Length, dims);
        var grouped = !groups.IsEmpty;
        if (grouped) ArgumentOutOfRangeException.ThrowIfLessThan(groups.Length, end);
        if (k <= 0 || end <= start) return 0;
        k = Math.Min(k, end - start);
        var heap = new TopKHeap(rows[..k], scores[..k]);
        var hasSkip = !skip.IsEmpty;
        var bestRow = -1;
        var best = float.NegativeInfinity;
        var offset = start * dims;
        for (var i = start; i < end; i++, offset += dims)
        {
            if (bestRow >= 0 && (!grouped || groups[i] != groups[i - 1]))
            {
                heap.Push(bestRow, best); // a no-op when the heap is full and the score does not beat its worst
                bestRow = -1;
                best = float.NegativeInfinity;
            }
            if (hasSkip && (skip[i >> 6] & (1UL << (i & 63))) != 0) continue;
            var score = TensorPrimitives.Dot(matrix.Slice(offset, dims), query);
            if (score > best)
            {
                best = score;
                bestRow = i;
            }
        }
        if (bestRow >= 0) heap.Push(bestRow, best);
        return heap.SortDescending();
    }
}

/// <summary>A fixed-capacity min-heap of (row, score) over caller-provided storage; the root is the worst kept score.</summary>
public ref struct TopKHeap
{
    private readonly Span<int> _rows;
    private readonly Span<float> _scores;

    public TopKHeap(Span<int> rows, Span<float> scores)
    {
        _rows = rows;
        _scores = scores;
        Count = 0;
    }

    public int Count { get; private set; }

    public readonly float Min => _scores[0];

    /// <summary>Adds the row, evicting the worst when full and the new score beats it.</summary>
    public void Push(int row, float score)
    {
        if (Count < _rows.Length)
        {
            var i = Count++;
            while (i > 0)
            {
                var parent = (i - 1) >> 1;
                if (_scores[parent] <= score) break;
                _rows[i] = _rows[parent];
                _scores[i] = _scores[parent];
                i = parent;
            }
            _rows[i] = row;
            _scores[i] = score;
            return;
        }
        if (score <= _scores[0]) return;
        SiftDown(0, Count, row, score);
    }

    private readonly void SiftDown(int i, int n, int row, float score)
    {
        while (true)
        {
            var child = 2 * i + 1;
            if (child >= n) break;
            if (child + 1 < n && _scores[child + 1] < _scores[child]) child++;
            if (_scores[child] >= score) break;
            _rows[i] = _rows[child];
            _scores[i] = _scores[child];
            i = child;
        }
        _rows[i] = row;
        _scores[i] = score;
    }

    /// <summary>Sorts the kept rows best first (heap sort in place) and returns their number; the heap is then spent.</summary>
    public int SortDescending()
    {
        var n = Count;
        for (var end = n - 1; end > 0; end--)
        {
            var row = _rows[end];
            var score = _scores[end];
            _rows[end] = _rows[0];
            _scores[end] = _scores[0];
            SiftDown(0, end, row, score);
        }
        Count = 0;
        return n;
    }
}
