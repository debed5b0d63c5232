using System.ComponentModel.DataAnnotations;

namespace CloneAI.Core.Summaries;

/// <summary>Session summaries (section <c>Summaries</c>).</summary>
public sealed class SummaryOptions
{
    public const string Section = "Summaries";

    /// <summary>
    /// How long the write activity waits before it stores a summary (0: not at all). Only for tests that stop the process
    /// while a summary is being written; never set in production.
    /// </summary>
    [Range(0, 600_000)]
    public int WriteDelayMs { get; set; }

    /// <summary>How far back the resume looks for ended sessions without a summary (days).</summary>
    [Range(1, 365)]
    public int ResumeDays { get; set; } = 7;

    /// <summary>Seconds a client is told to wait (Retry-After) while a summary is being written.</summary>
    [Range(1, 60)]
    public int RetryAfterSeconds { get; set; } = 2;
}
