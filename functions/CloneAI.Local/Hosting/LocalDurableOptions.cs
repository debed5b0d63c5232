using System.ComponentModel.DataAnnotations;

namespace CloneAI.Local.Hosting;

/// <summary>How many Durable work items the in-process backend runs at once.</summary>
public sealed class LocalDurableOptions
{
    public const string Section = "Durable";

    /// <summary>
    /// Activities in flight at once (the in-process backend's own default is one per core). The backend sleeps 500 ms
    /// whenever the limit is reached, so a low limit stalls many short activities; embedding activities share one model,
    /// which takes turns, so more of them in flight costs no extra CPU.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxConcurrentActivities { get; set; } = 32;

    /// <summary>Orchestration episodes in flight at once (each is a short replay).</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentOrchestrations { get; set; } = 64;
}
