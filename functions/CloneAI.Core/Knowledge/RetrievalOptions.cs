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
/// <para>
/// Checked again by 5-fold cross-validation (<c>./eval --folds 5</c>, seed 12: each fold's setting chosen on the other four,
/// read on it): the defaults score recall@5 0.851 ± 0.038 and MRR@10 0.727 ± 0.039 (mean ± sd over folds). The optional steps
/// below (pseudo-relevance feedback, a second stage over sentence vectors, documents, neighbours and sentence-level BM25,
/// standardised fusion) were cross-validated over 164 settings; none reaches the targets (0.88 / 0.76), so all are off by
/// default. The best combination (<see cref="Fusion"/> <c>zscore</c>, <see cref="VectorWeight"/> 1, <see cref="CandidatePool"/>
/// 200, <see cref="RerankDepth"/> 20, <see cref="SentenceWeight"/> 0.5, <see cref="SentenceWindow"/> 2), chosen in every fold,
/// gives 0.859 ± 0.037 / 0.733 ± 0.038: three more questions of 404, a per-fold gain (+0.007 ± 0.014, +0.006 ± 0.005) within
/// the folds' spread, for a text fetch and re-tokenising per query; it is there to opt into.
/// </para>
/// </summary>
public sealed class RetrievalOptions
{
    public const string Section = "Retrieval";

    /// <summary>
    /// Hybrid fusion: <c>score</c> (default), <c>zscore</c> or <c>rrf</c>. Cross-validated (5 folds, vector weight 0.6–1.5,
    /// pool 30–200), <c>zscore</c> scores 0.849 ± 0.050 / 0.730 ± 0.039 against the default's 0.851 ± 0.038 / 0.727 ± 0.039; its
    /// scores are standardised, so a hit's <c>score</c> can be negative.
    /// </summary>
    [AllowedValues(FusionModes.Score, FusionModes.ZScore, FusionModes.Rrf)]
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

    /// <summary>
    /// Pseudo-relevance feedback (local index, hybrid): the texts of this many best fused chunks expand the BM25 query with up to
    /// <see cref="FeedbackTerms"/> terms they share (RM3-style, IDF-weighted; the best weighs <see cref="FeedbackWeight"/>, the
    /// query's own terms 1), and the expanded BM25 list is fused again. 0 or 1 (default): off. On COVID-QA dev every setting tried
    /// (3, 5 or 10 chunks, 5–20 terms, weight 0.1–0.6) scores below the defaults on all 404 questions (best 0.847 / 0.723 at 3 / 5 /
    /// 0.1; weight 0.6: 0.844 / 0.700), and cross-validation keeps it off in every fold: the questions are specific, the feedback
    /// chunks mostly come from one paper, and its words pull that paper's other chunks up.
    /// </summary>
    [Range(0, 100)]
    public int FeedbackChunks { get; set; }

    /// <summary>Most expansion terms of <see cref="FeedbackChunks"/>.</summary>
    [Range(0, 100)]
    public int FeedbackTerms { get; set; } = 10;

    /// <summary>The weight of the best expansion term of <see cref="FeedbackChunks"/> (the others in proportion).</summary>
    [Range(0.0, 10.0)]
    public double FeedbackWeight { get; set; } = 0.3;

    /// <summary>
    /// Hybrid second stage (local index): how many of the best fused candidates are scored again with <see cref="SegmentWeight"/>,
    /// <see cref="DocumentWeight"/>, <see cref="NeighbourWeight"/> and <see cref="SentenceWeight"/>. 0 or 1 (default): off.
    /// </summary>
    [Range(0, 1000)]
    public int RerankDepth { get; set; }

    /// <summary>
    /// Second stage: weight of the mean of a chunk's two best sentence (segment) similarities, scaled min–max over the reranked
    /// candidates (fusion already has the best one; this rewards a chunk that matches in more than one sentence). Default 0: on
    /// COVID-QA dev (depth 30) 0.25 gives 0.842 / 0.714 and more is worse; an answer usually sits in one sentence.
    /// </summary>
    [Range(0.0, 100.0)]
    public double SegmentWeight { get; set; }

    /// <summary>
    /// Second stage, document granularity: weight of the summed fused score of the chunk's document's three best candidates,
    /// over the best document's. Default 0: 0.25 gives 0.856 / 0.724 on all of dev (recall up, MRR down), and
    /// cross-validated with <see cref="SegmentWeight"/> and <see cref="NeighbourWeight"/> 0.851 ± 0.038 / 0.724 ± 0.040.
    /// </summary>
    [Range(0.0, 100.0)]
    public double DocumentWeight { get; set; }

    /// <summary>
    /// Second stage: weight of the better fused score of the chunks just before and after in the same document, over the best.
    /// Default 0: 0.1 gives 0.842 / 0.721 on COVID-QA dev.
    /// </summary>
    [Range(0.0, 100.0)]
    public double NeighbourWeight { get; set; }

    /// <summary>
    /// Second stage, sentence granularity: weight of the chunk's best BM25 over a window of <see cref="SentenceWindow"/>
    /// consecutive sentences (its segments), over the best candidate's. Default 0: alone (depth 20–40, weight 0.1–1, windows
    /// 1–3) it cross-validates to 0.846 ± 0.026 / 0.723 ± 0.039; with <c>zscore</c> fusion and a pool of 200 it is part of the
    /// best combination (see the class remarks).
    /// </summary>
    [Range(0.0, 100.0)]
    public double SentenceWeight { get; set; }

    /// <summary>Sentences per window of <see cref="SentenceWeight"/>.</summary>
    [Range(1, 10)]
    public int SentenceWindow { get; set; } = 1;

    /// <summary>Most chunks of one document in a result, when the query does not say.</summary>
    [Range(1, 100)]
    public int MaxPerDocument { get; set; } = 5;
}

public static class FusionModes
{
    /// <summary>Weighted sum of normalised scores (<see cref="RankFusion.Combine{TKey}"/>).</summary>
    public const string Score = "score";

    /// <summary>Weighted sum of standardised scores (<see cref="RankFusion.CombineStandardised{TKey}"/>).</summary>
    public const string ZScore = "zscore";

    /// <summary>Reciprocal rank fusion (<see cref="RankFusion.Fuse{TKey}"/>).</summary>
    public const string Rrf = "rrf";
}
