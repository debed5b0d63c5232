using CloneAI.Core.Recommendations;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Api.Recommendations;

/// <summary>The signed-in user's recommendations ("For you" in the marketplace) and suggested next questions per clone.</summary>
public sealed class RecommendationsApi(RequestAuth auth, Recommender recommender, NextQuestions nextQuestions, ILogger<RecommendationsApi> logger)
{
    [Function(nameof(MyRecommendations))]
    [ApiDoc("Clones recommended to me, each with a short reason", Tag = "Recommendations", Access = "signed in", Auth = ApiAuth.Required,
        Description = "Published clones only, never your own, never one you already use (two sessions or more) or rated 2 or less. " +
            "Blends clone profile vectors near the clones you rated 4 or more or used most, co-usage (people who use your clones also use …) " +
            "and popularity by distinct users in your categories; with no sessions yet, popularity alone (method cold-start).")]
    [Query<RecommendationsQuery>]
    [Returns<RecommendationsResponse>]
    public Task<IActionResult> MyRecommendations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/recommendations")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var query = QueryReader.Read<RecommendationsQuery>(req.Query);
            return new OkObjectResult(RecommendationsResponse.From(await recommender.ForUserAsync(caller, query.Limit, cancellationToken)));
        });

    [Function(nameof(MyNextQuestions))]
    [ApiDoc("Questions to open my next session with a clone, from my sessions' summaries", Tag = "Recommendations", Access = "signed in (your own summaries)",
        Auth = ApiAuth.Required,
        Description = "The next topics of the summaries of your sessions with the clone, newest session first, each once, at most 5, phrased as questions. Empty until a session of yours with it is summarized.")]
    [Returns<NextQuestionsResponse>]
    public Task<IActionResult> MyNextQuestions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/clones/{id}/next-questions")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var questions = await nextQuestions.ForCloneAsync(caller, id, cancellationToken);
            return new OkObjectResult(new NextQuestionsResponse(questions.CloneId, questions.Items.Select(q => new NextQuestionDto(q.Topic, q.Question, q.SessionId)).ToList()));
        });
}
