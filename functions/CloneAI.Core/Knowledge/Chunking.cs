using System.ComponentModel.DataAnnotations;

namespace CloneAI.Core.Knowledge;

public sealed class ChunkingOptions
{
    public const string Section = "Chunking";

    /// <summary>Largest chunk, in tokens of the embedding model's tokenizer.</summary>
    [Range(32, 2048)]
    public int MaxTokens { get; set; } = 256;

    /// <summary>Tokens of the previous chunk repeated at the start of the next.</summary>
    [Range(0, 512)]
    public int OverlapTokens { get; set; } = 32;
}

/// <summary>
/// A passage of a document. <see cref="Id"/> is deterministic (<c>{documentId}-{ordinal:D5}</c>) so a retry never duplicates;
/// <see cref="Start"/>..<see cref="End"/> index the extracted text.
/// </summary>
public sealed record TextChunk(
    string Id, string DocumentId, int Ordinal, int Start, int End, int? Page, string HeadingPath, string Text, int TokenCount)
{
    public static string MakeId(string documentId, int ordinal) => $"{documentId}-{ordinal:D5}";
}
