using CloneAI.Core.Domain;

namespace CloneAI.Core.Recommendations;

/// <summary>Which signal a recommendation's reason comes from.</summary>
public static class RecommendationReasons
{
    /// <summary>Its profile is near a clone the user rated well or uses most.</summary>
    public const string Content = "content";
    /// <summary>People who use one of the user's clones also use it.</summary>
    public const string CoUsage = "co-usage";
    /// <summary>Popular (by distinct users) in one of the user's categories, or anywhere for a new user.</summary>
    public const string Popularity = "popularity";
    /// <summary>A clone the user had one session with (fewer than <see cref="RecommendationOptions.HeavyUseSessions"/>), nothing else to say.</summary>
    public const string Revisit = "revisit";
    public static readonly IReadOnlyList<string> All = [Content, CoUsage, Popularity, Revisit];
}

/// <summary>How a list was made: the blend of the three signals, or popularity alone for a user with nothing to go on.</summary>
public static class RecommendationMethods
{
    public const string Blend = "blend";
    public const string ColdStart = "cold-start";
    public static readonly IReadOnlyList<string> All = [Blend, ColdStart];
}

/// <summary>
/// A clone recommended to a user, with a short reason ("Because you rated X highly", "People who use X also use Y", "Popular in
/// Science &amp; Research"), the kind of that reason, the user's clone it refers to (none for popularity) and the blended score.
/// </summary>
public sealed record Recommendation(Clone Recommended, string Reason, string ReasonKind, string? BecauseOfCloneId, double Score);

/// <summary>The weights a list was blended with, whether profile vectors were available, and how many of the user's clones seeded it.</summary>
public sealed record BlendInfo(double ContentWeight, double CoUsageWeight, double PopularityWeight, bool ContentVectors, int Seeds);

public sealed record RecommendationList(IReadOnlyList<Recommendation> Items, string Method, BlendInfo Blend);
