namespace CloneAI.Local.AI;

/// <summary>
/// How the in-process ONNX model runs. The defaults were measured on 2 cores with ~256-token chunks: one session whose
/// intra-op pool uses every core, batches of up to 16 inputs of similar length, spinning threads, full graph
/// optimisation (which fuses attention, GELU and layer norms).
/// </summary>
public sealed class OnnxEmbeddingGeneratorOptions
{
    /// <summary>Intra-op threads; 0 means <see cref="Environment.ProcessorCount"/>.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Most inputs in one model run.</summary>
    public int MaxBatchSize { get; set; } = 16;

    /// <summary>Most (padded) tokens in one model run: rows × longest row. At least the model's MaxTokens.</summary>
    public int MaxBatchTokens { get; set; } = 8192;

    /// <summary>Model runs at once. One run already uses every core, so more only adds contention; a queued query waits for
    /// one batch, not for a whole ingestion call.</summary>
    public int MaxConcurrentRuns { get; set; } = 1;

    /// <summary>Let ORT's pool threads spin between work items (<c>session.intra_op.allow_spinning</c>). Faster; burns
    /// a little CPU right after each run.</summary>
    public bool AllowSpinning { get; set; } = true;

    internal int ResolvedIntraOpThreads => IntraOpThreads > 0 ? IntraOpThreads : Environment.ProcessorCount;
}
