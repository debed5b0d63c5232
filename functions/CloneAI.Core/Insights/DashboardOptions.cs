using System.ComponentModel.DataAnnotations;

namespace CloneAI.Core.Insights;

/// <summary>How the creator dashboard groups questions and finds knowledge gaps. Section <c>Dashboard</c>.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>
    /// Two questions are one group when their embeddings' cosine similarity is at least this. It depends on the embedding
    /// model: with the local model (snowflake-arctic-embed-xs) rewordings of one question score 0.94 to 0.98, and different
    /// questions 0.71 to 0.87 (the highest on one subject: "What causes the tides?" and "When is the next spring tide?").
    /// </summary>
    [Range(-1.0, 1.0)]
    public double GroupSimilarity { get; set; } = 0.9;

    /// <summary>
    /// An answer whose best retrieved passage's cosine similarity to the question was below this is a knowledge gap, as is
    /// an "I don't know". With the local model on-topic questions score 0.71 to 0.80 and off-topic ones 0.53 to 0.56.
    /// </summary>
    [Range(-1.0, 1.0)]
    public double WeakSimilarity { get; set; } = 0.6;

    /// <summary>The latest questions of the period that are grouped (each distinct wording is embedded once).</summary>
    [Range(1, 5000)]
    public int MaxQuestions { get; set; } = 500;
}
