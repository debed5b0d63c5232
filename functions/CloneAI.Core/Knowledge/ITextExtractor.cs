namespace CloneAI.Core.Knowledge;

/// <summary>Turns the bytes of one document of a known kind into text with pages and headings.</summary>
public interface ITextExtractor
{
    /// <exception cref="ExtractionException">The file is empty, corrupt, encrypted, a bomb, or not what it claims.</exception>
    ExtractedText Extract(byte[] data, string kind);
}
