using System.ComponentModel.DataAnnotations;

namespace CloneAI.Core.Knowledge;

/// <summary>
/// How the local index ranks. Keyword search is BM25 (<see cref="Bm25K1"/>, <see cref="Bm25B"/>); vector search is an exact
/// scan (a chunk with segment vectors scores its best segment); hybrid search takes the best <see cref="CandidatePool"/> of
/// each list and fuses them by <see cref="Fusion"/>, then keeps at most <see cref="MaxPerDocument"/> chunks per document.
/// <para>
/// Defaults were chosen on the COVID-QA dev split through <c>./eval</c> and checked on its two halves separately (tuned on one,
/// read on the other) so that they generalise rather than fit 404 questions: score fusion with weights 1 / 0.75, BM25 with
/// k1 0.9, b 0.4 (the usual passage-retrieval setting), a pool of 100. Hybrid recall@5 / MRR@10 went from 0.807 / 0.636
/// (RRF k 10, weights 1 / 0.5, k1 1.2, b 0.75, one vector per chunk) to the figures in the README.
/// </para>
/// </summary>
public sealed class RetrievalOptions
{
    public const string Section = "Retrieval";

    /// <summary>Hybrid fusion: <c>score</c> or <c>rrf</c>.</summary>
    [AllowedValues(FusionModes.Score, FusionModes.Rrf)]
    public string Fusion { get; set; } = FusionModes.Score;

    [Range(0.0, 100.0)]
    public double KeywordWeight { get; set; } = 1.0;

    [Range(0.0, 100.0)]
    public double VectorWeight { get; set; } = 0.75;

    /// <summary>The RRF damping constant (60 in the original paper), for <see cref="Fusion"/> <c>rrf</c>.</summary>
    [Range(1, 1000)]
    public int RrfK { get; set; } = 10;

    /// <summary>Candidates taken from each ranking before fusion (and the k of the approximate vector search in Azure).</summary>
    [Range(1, 1000)]
    public int CandidatePool { get; set; } = 100;

    /// <summary>BM25 term-frequency saturation.</summary>
    [Range(0.0, 10.0)]
    public double Bm25K1 { get; set; } = 0.9;

    /// <summary>BM25 length normalisation (0: none, 1: full).</summary>
    [Range(0.0, 1.0)]
    public double Bm25B { get; set; } = 0.4;

    /// <summary>
    /// Optional keyword-search cost bound: query terms are kept rarest first while the rows they match (summed document
    /// frequencies) stay within this budget; the rarest term is always kept. The in-memory BM25 index scores 100,000 chunks
    /// in well under a millisecond, so this is rarely needed, and dropping terms costs recall (COVID-QA dev recall@5
    /// 0.790 → 0.649 at a budget of 8 % of the rows). 0 (default): keep every term (terms in half the rows or more are always dropped:
    /// BM25 gives them no weight).
    /// </summary>
    [Range(0, int.MaxValue)]
    public int KeywordRowBudget { get; set; }

    /// <summary>Most chunks of one document in a result, when the query does not say.</summary>
    [Range(1, 100)]
    public int MaxPerDocument { get; set; } = 5;
}

public static class FusionModes
{
    /// <summary>Weighted sum of normalised scores (<see cref="RankFusion.Combine{TKey}"/>).</summary>
    public const string Score = "score";

    /// <summary>Reciprocal rank fusion (<see cref="RankFusion.Fuse{TKey}"/>).</summary>
    public const string Rrf = "rrf";
}
