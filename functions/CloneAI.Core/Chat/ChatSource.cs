namespace CloneAI.Core.Chat;

/// <summary>
/// A passage handed to a responder as source <c>[n]</c>: a chunk of a document, <see cref="Start"/>..<see cref="End"/> of its
/// extracted text. <see cref="Similarity"/> is the cosine similarity of the question with it, when the index knows it.
/// </summary>
public sealed record ChatSource(
    int N, string DocumentId, string FileName, string Title, string Text, int Start, int End, int? Page, double Score, double? Similarity = null);
