using CloneAI.Core.Knowledge;

namespace CloneAI.Bench.Recommend;

/// <summary>
/// A deterministic bag-of-words embedder (<c>--embedder hashing</c>): each lower-cased word of three or more letters adds ±1 to
/// one of <see cref="Dimensions"/> slots chosen by an FNV-1a hash, then the vector is L2-normalised. No model, no threads: for
/// machines where the local ONNX model is unavailable, and as a check that the figures do not hinge on one model.
/// </summary>
sealed class HashingEmbedder(int dimensions = 384) : IKnowledgeEmbedder
{
    public int Dimensions { get; } = dimensions;
    public EmbeddingModelInfo Model => new("hashing-bag-of-words", Dimensions);
    public int BatchSize => 1024;

    public Task<float[][]> EmbedPassagesAsync(IReadOnlyList<string> passages, CancellationToken cancellationToken = default) =>
        Task.FromResult(passages.Select(Embed).ToArray());

    public Task<float[]> EmbedQueryAsync(string query, CancellationToken cancellationToken = default) => Task.FromResult(Embed(query));

    private float[] Embed(string text)
    {
        var v = new float[Dimensions];
        foreach (var word in text.ToLowerInvariant().Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Length < 3) continue;
            var h = 2166136261u;
            foreach (var c in word) h = (h ^ c) * 16777619u;
            v[h % (uint)Dimensions] += (h & 0x80000000u) == 0 ? 1 : -1;
        }
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        if (norm > 0) for (var i = 0; i < v.Length; i++) v[i] /= norm;
        return v;
    }

    private static readonly char[] Separators = [' ', ',', '.', ';', ':', '-', '\'', '!', '?', '(', ')'];
}
