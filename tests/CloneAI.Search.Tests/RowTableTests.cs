using CloneAI.Local.Knowledge;

namespace CloneAI.Search.Tests;

public sealed class RowTableTests
{
    private static RowTable Build(params (long RowId, string Document)[] rows)
    {
        var builder = new RowTable.Builder();
        foreach (var (rowId, document) in rows) builder.Add(rowId, document);
        return builder.Build();
    }

    [Fact]
    public void Removing_a_document_marks_its_live_rows_and_leaves_the_old_snapshot_alone()
    {
        var v1 = Build((10, "a"), (11, "b"), (12, "a"));
        var removed = new List<int>();
        var v2 = v1.RemoveDocument("a", removed);

        Assert.Equal([0, 2], removed);
        Assert.Equal(2, v2.DeadCount);
        Assert.Equal(1, v2.LiveCount);
        Assert.True(v2.IsDead(0) && !v2.IsDead(1) && v2.IsDead(2));
        Assert.Equal(0, v1.DeadCount);
        Assert.False(v1.IsDead(0));
        Assert.True(v1.DeadRows.IsEmpty);
        Assert.False(v2.DeadRows.IsEmpty);

        removed.Clear();
        Assert.Same(v2, v2.RemoveDocument("a", removed)); // already dead: nothing to do
        Assert.Empty(removed);
    }

    [Fact]
    public void Appends_go_past_the_published_count_and_growth_keeps_row_numbers()
    {
        var v1 = Build((1, "a"));
        var v2 = v1.Reserve(2, reallocate: false, out var map).Append("b", [2, 3]);
        Assert.Null(map);
        Assert.Equal(RowTable.MinCapacity, v2.Capacity); // it fitted: the arrays are shared
        Assert.Equal(1, v1.Count);
        Assert.Equal([1L], v1.RowIds.ToArray());
        Assert.Equal([1L, 2, 3], v2.RowIds.ToArray());
        Assert.Equal("b", v2.DocumentId(2));

        var big = v2.Reserve(RowTable.MinCapacity, reallocate: false, out map);
        Assert.Null(map);
        Assert.Equal(RowTable.MinCapacity * 2, big.Capacity);
        Assert.Equal([1L, 2, 3], big.RowIds.ToArray());
        Assert.Throws<InvalidOperationException>(() => v2.Append("c", [.. Enumerable.Range(0, RowTable.MinCapacity).Select(i => (long)i)]));
    }

    [Fact]
    public void Half_the_rows_dead_compacts_the_live_ones_and_maps_old_rows_to_new()
    {
        var table = Build((1, "a"), (2, "b"), (3, "a"), (4, "c"), (5, "a")).RemoveDocument("a");
        Assert.Equal(3, table.DeadCount);

        var compacted = table.Reserve(1, reallocate: false, out var map);
        Assert.Equal([-1, 0, -1, 1, -1], Assert.IsType<int[]>(map));
        Assert.Equal(0, compacted.DeadCount);
        Assert.Equal([2L, 4], compacted.RowIds.ToArray());
        Assert.Equal(["b", "c"], new[] { compacted.DocumentId(0), compacted.DocumentId(1) });

        // Fewer dead rows than live ones (counting those to add): no compaction.
        Assert.Same(table, table.Reserve(2, reallocate: false, out map));
        Assert.Null(map);
    }
}
