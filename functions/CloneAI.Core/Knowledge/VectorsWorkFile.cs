using System.Runtime.InteropServices;

namespace CloneAI.Core.Knowledge;

/// <summary>The vectors work file of one embedding batch: written by the embed step, read back by the index step.</summary>
public static class VectorsWorkFile
{
    /// <summary>
    /// Embeds a batch of chunks into the vectors work file: whole chunks, or (with <see cref="KnowledgeOptions.SegmentVectors"/>)
    /// their segments, each distinct span once (neighbouring chunks share their overlap). The file is self-describing, so the
    /// index step reads it whatever the setting is by then: int32 format (1 chunk vectors, 2 segment vectors), one int32 vector
    /// count per chunk, then the float32 vectors in chunk order.
    /// </summary>
    public static async Task<byte[]> EmbedAsync(IKnowledgeEmbedder embedder, KnowledgeOptions settings, IReadOnlyList<TextChunk> slice, CancellationToken cancellationToken = default)
    {
        var texts = new List<string>();
        var counts = new int[slice.Count];
        var rows = new List<int>(); // per vector of the file: its row in texts
        var seen = new Dictionary<(int, int), int>();
        for (var c = 0; c < slice.Count; c++)
        {
            var chunk = slice[c];
            var spans = settings.SegmentVectors ? PassageSegmenter.Segment(chunk.Text, settings.SegmentMinChars) : [];
            if (spans.Count == 0) spans.Add((0, chunk.Text.Length)); // the whole chunk
            foreach (var (start, end) in spans)
            {
                if (!seen.TryGetValue((chunk.Start + start, chunk.Start + end), out var row))
                {
                    seen[(chunk.Start + start, chunk.Start + end)] = row = texts.Count;
                    texts.Add(chunk.Text[start..end]);
                }
                rows.Add(row);
            }
            counts[c] = spans.Count;
        }

        var vectors = await embedder.EmbedPassagesAsync(texts, cancellationToken);
        if (vectors.Length != texts.Count) throw new InvalidOperationException($"The embedder returned {vectors.Length} vectors for {texts.Count} passages.");
        var dims = embedder.Model.Dimensions;
        var bytes = new byte[sizeof(int) * (1 + counts.Length) + rows.Count * dims * sizeof(float)];
        var header = MemoryMarshal.Cast<byte, int>(bytes.AsSpan(0, sizeof(int) * (1 + counts.Length)));
        header[0] = settings.SegmentVectors ? 2 : 1;
        counts.CopyTo(header[1..]);
        var floats = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(header.Length * sizeof(int)));
        for (var i = 0; i < rows.Count; i++)
        {
            var v = vectors[rows[i]];
            if (v.Length != dims) throw new InvalidOperationException($"The embedder returned {v.Length} dimensions, not {dims}.");
            v.CopyTo(floats.Slice(i * dims, dims));
        }
        return bytes;
    }

    /// <summary>Reads a vectors work file of <paramref name="chunks"/> chunks (see <see cref="EmbedAsync"/>); null when malformed.</summary>
    public static (float[] Vector, IReadOnlyList<float[]>? Segments)[]? Read(byte[] data, int chunks, int dims)
    {
        var headerBytes = sizeof(int) * (1 + chunks);
        if (data.Length < headerBytes) return null;
        var header = MemoryMarshal.Cast<byte, int>(data.AsSpan(0, headerBytes));
        if (header[0] is not (1 or 2)) return null;
        long total = 0;
        foreach (var n in header[1..])
        {
            if (n < 1 || (header[0] == 1 && n != 1)) return null;
            total += n;
        }
        if (data.Length - headerBytes != total * dims * sizeof(float)) return null;
        var floats = MemoryMarshal.Cast<byte, float>(data.AsSpan(headerBytes));
        var result = new (float[], IReadOnlyList<float[]>?)[chunks];
        var offset = 0;
        for (var c = 0; c < chunks; c++)
        {
            var n = header[1 + c];
            if (header[0] == 1)
            {
                result[c] = (floats.Slice(offset, dims).ToArray(), null);
            }
            else
            {
                var segments = new float[n][];
                var mean = new float[dims];
                for (var j = 0; j < n; j++)
                {
                    segments[j] = floats.Slice(offset + j * dims, dims).ToArray();
                    for (var d = 0; d < dims; d++) mean[d] += segments[j][d];
                }
                result[c] = (KnowledgeEmbedder.ToUnitVector(mean), segments);
            }
            offset += n * dims;
        }
        return result;
    }
}
