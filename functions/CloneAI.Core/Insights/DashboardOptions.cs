using System.ComponentModel.DataAnnotations;

namespace CloneAI.Core.Insights;

/// <summary>How the creator dashboard groups questions and finds knowledge gaps. Section <c>Dashboard</c>.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>
    /// Two questions are one group when their embeddings' cosine similarity is at least this. It depends on the embedding
    /// model: with the local model (snowflake-arctic-embed-xs) rewordings of one question score about 0.9 and different
    /// questions on one subject 0.6 to 0.8.
    /// </summary>
    [Range(-1.0, 1.0)]
    public double GroupSimilarity { get; set; } = 0.86;

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
