namespace CloneAI.Core.Knowledge;

public static class SearchModes
{
    public const string Hybrid = "hybrid";
    public const string Keyword = "keyword";
    public const string Vector = "vector";
    public static readonly IReadOnlyList<string> All = [Hybrid, Keyword, Vector];
}

/// <summary>
/// A chunk with its vector, ready for the index. <see cref="SegmentVectors"/>, when given, are the vectors of the chunk's
/// segments (<see cref="PassageSegmenter"/>) and <see cref="Vector"/> is their normalised mean: an index that can hold several
/// vectors per chunk ranks the chunk by its best segment, others use <see cref="Vector"/>.
/// </summary>
public sealed record IndexedChunk(
    TextChunk Chunk, string CloneId, string FileName, string Title, float[] Vector, IReadOnlyList<float[]>? SegmentVectors = null);

/// <summary>
/// A search within one clone. <see cref="Vector"/> is required for vector and hybrid modes. At most
/// <see cref="MaxPerDocument"/> chunks of one document are returned (source diversity; 0 or less: the configured default).
/// <see cref="Model"/> is the model that made <see cref="Vector"/>: vector and hybrid searches of an index built by another
/// model fail with a conflict (re-index needed) instead of comparing incomparable vectors.
/// </summary>
public sealed record KnowledgeQuery(
    string CloneId, string Text, float[]? Vector, string Mode, int Top, int MaxPerDocument, EmbeddingModelInfo? Model = null);

/// <remarks><see cref="Similarity"/>: the cosine similarity of the query vector with the chunk (its best sentence), when the index
/// knows it (the local index, for chunks its vector list ranked); chat uses it as an absolute relevance floor, which fused scores are not.
/// <see cref="Vectors"/>: the vectors the index holds for the chunk, when it returns them (the local index: one per segment of
/// <see cref="Chunking.PassageSegmenter"/>, in order, or the chunk's one vector), so that chat can score the chunk's sentences
/// against the question without embedding them again.</remarks>
public sealed record KnowledgeHit(
    string ChunkId, string DocumentId, string FileName, string Title, string Text, int Start, int End, int? Page, string HeadingPath, double Score,
    double? Similarity = null, IReadOnlyList<float[]>? Vectors = null);

/// <summary>Which embedding model made an index's vectors, so that vectors of different models are never mixed.</summary>
public sealed record EmbeddingModelInfo(string Model, int Dimensions);
