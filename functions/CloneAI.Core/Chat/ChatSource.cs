namespace CloneAI.Core.Chat;

/// <summary>
/// A passage handed to a responder as source <c>[n]</c>: a chunk of a document, <see cref="Start"/>..<see cref="End"/> of its
/// extracted text. <see cref="Similarity"/> is the cosine similarity of the question with it, when the index knows it.
/// <see cref="Segments"/>, when known, are the passage's sentences (<see cref="Knowledge.PassageSegmenter"/> spans,
/// relative to <see cref="Text"/>) with each one's cosine similarity to the question.
/// </summary>
public sealed record ChatSource(
    int N, string DocumentId, string FileName, string Title, string Text, int Start, int End, int? Page, double Score, double? Similarity = null,
    IReadOnlyList<SegmentSimilarity>? Segments = null);

/// <summary>A segment <see cref="Start"/>..<see cref="End"/> of a source's text and its cosine similarity to the question.</summary>
public sealed record SegmentSimilarity(int Start, int End, double Similarity);
