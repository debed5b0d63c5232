namespace CloneAI.Core.Knowledge;

public interface IChunker
{
    IReadOnlyList<TextChunk> Chunk(string documentId, ExtractedText text);
}
