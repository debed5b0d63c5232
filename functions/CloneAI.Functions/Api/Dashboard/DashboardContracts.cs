using System.ComponentModel;

namespace CloneAI.Functions.Api.Dashboard;

/// <summary>The dashboard's period: whole UTC days, both ends included, at most 366 days.</summary>
public sealed record DashboardQuery(
    [Description("First day, yyyy-MM-dd; default the 30 days ending at to.")] string? From,
    [Description("Last day, yyyy-MM-dd, not before from; default today (UTC).")] string? To);
