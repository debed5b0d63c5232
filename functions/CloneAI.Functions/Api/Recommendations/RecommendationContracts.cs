using System.ComponentModel;
using System.Text.Json.Serialization;
using CloneAI.Core.Recommendations;
using CloneAI.Functions.Api.Clones;
using CloneAI.Functions.Http;

namespace CloneAI.Functions.Api.Recommendations;

public sealed record RecommendationsQuery([Description("How many clones, 1 to 50, default 10.")] int? Limit);

/// <summary>
/// A recommended clone (<c>clone</c>: the marketplace card), why (<c>reason</c>, a short sentence to show with it; <c>reasonKind</c> says
/// which signal it came from), the user's clone the reason refers to (none for popularity) and the blended score.
/// </summary>
public sealed record RecommendationDto(
    [property: JsonPropertyName("clone")] CloneDto Card, string Reason, [property: ValuesFrom(typeof(RecommendationReasons))] string ReasonKind, string? BecauseOfCloneId, double Score)
{
    public static RecommendationDto From(Recommendation r) => new(CloneDto.From(r.Recommended, full: false), r.Reason, r.ReasonKind, r.BecauseOfCloneId, r.Score);
}

/// <summary>The weights the scores were blended with, whether clone profile vectors were available, and how many of the user's clones seeded the list.</summary>
public sealed record BlendDto(double Content, double CoUsage, double Popularity, bool ContentVectors, int Seeds);

/// <summary>
/// Clones for the signed-in user, best first. <c>method</c> is <c>blend</c> (profile vectors, co-usage and popularity in the
/// user's categories) or <c>cold-start</c> (popularity by distinct users, for a user with no sessions yet).
/// </summary>
public sealed record RecommendationsResponse(
    IReadOnlyList<RecommendationDto> Items, [property: ValuesFrom(typeof(RecommendationMethods))] string Method, BlendDto Blend)
{
    public static RecommendationsResponse From(RecommendationList list) => new(
        list.Items.Select(RecommendationDto.From).ToList(), list.Method,
        new BlendDto(list.Blend.ContentWeight, list.Blend.CoUsageWeight, list.Blend.PopularityWeight, list.Blend.ContentVectors, list.Blend.Seeds));
}

/// <summary>A question to open the next session with: a next topic of the summary of one of the user's sessions with the clone.</summary>
public sealed record NextQuestionDto(string Topic, string Question, string SessionId);

public sealed record NextQuestionsResponse(string CloneId, IReadOnlyList<NextQuestionDto> Items);
