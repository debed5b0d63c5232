using System.ComponentModel.DataAnnotations;

namespace CloneAI.Core.Memory;

/// <summary>What clones remember about their users. Section <c>Memory</c>.</summary>
public sealed class MemoryOptions
{
    public const string Section = "Memory";

    /// <summary>Extract memory items from what users write (off: nothing new is remembered; what is stored stays the user's).</summary>
    public bool Extract { get; set; } = true;

    /// <summary>With a language model configured, extract with it (structured output), the patterns as fallback.</summary>
    public bool ExtractWithModel { get; set; } = true;

    /// <summary>Tokens of memory items a model's prompt may hold (the most relevant to the question first).</summary>
    [Range(0, 10_000)]
    public int PromptTokens { get; set; } = 300;

    /// <summary>Items a user may have (per clone plus shared); extraction adds no more past it.</summary>
    [Range(1, 10_000)]
    public int MaxItems { get; set; } = 200;

    /// <summary>Token similarity (0..1) at which an extracted item is taken for one already remembered (it is refreshed, not added).</summary>
    [Range(0.0, 1.0)]
    public double MergeSimilarity { get; set; } = 0.75;
}
