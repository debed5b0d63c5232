using System.ComponentModel.DataAnnotations;

namespace CloneAI.Core.Knowledge;

/// <summary>
/// How hybrid retrieval fuses the keyword (BM25) and vector rankings: reciprocal rank fusion,
/// <c>score = KeywordWeight / (RrfK + keywordRank) + VectorWeight / (RrfK + vectorRank)</c> (ranks from 1) over the best
/// <see cref="CandidatePool"/> candidates of each list, then at most <see cref="MaxPerDocument"/> chunks per document.
/// </summary>
public sealed class RetrievalOptions
{
    public const string Section = "Retrieval";

    [Range(0.0, 100.0)]
    public double KeywordWeight { get; set; } = 1.0;

    [Range(0.0, 100.0)]
    public double VectorWeight { get; set; } = 0.5;

    /// <summary>
    /// The RRF damping constant (60 in the original paper). Defaults here (keyword 1.0, vector 0.5, k 10, at most 5 chunks per
    /// document) were tuned on the COVID-QA dev split through <c>./eval</c>: hybrid recall@5 0.740 → 0.807 against equal
    /// weights with k 60 and 3 per document. The small k trusts the top of each list; the lower vector weight reflects that
    /// the small local model ranks below BM25 on its own.
    /// </summary>
    [Range(1, 1000)]
    public int RrfK { get; set; } = 10;

    /// <summary>Candidates taken from each ranking before fusion (and the k of the approximate vector search in Azure).</summary>
    [Range(1, 1000)]
    public int CandidatePool { get; set; } = 60;

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
