using CloneAI.Core.Chat;
using CloneAI.Core.Errors;
using CloneAI.Core.Realtime;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Functions.Api.Chat;

/// <summary>
/// Negotiation for the realtime hub (Web PubSub in Azure, the local host's implementation of its client protocol): a client URL
/// with an access token that may join only the caller's own groups: their user group, and the session named by
/// <c>sessionId</c> if it is theirs.
/// </summary>
public sealed class RealtimeApi(RequestAuth auth, SessionService sessions, IRealtimeHub hub, IOptions<ChatSettings> options, ILogger<RealtimeApi> logger)
{
    [Function(nameof(Negotiate))]
    [ApiDoc("A realtime client URL and token (subprotocol json.webpubsub.azure.v1) for your own groups. Query: sessionId (yours) adds session-{id}", Tag = "Chat", Access = "signed in", Returns = "{url, baseUrl, accessToken, expiresAt, groups}")]
    public Task<IActionResult> Negotiate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "realtime/negotiate")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var groups = new List<string> { RealtimeGroups.User(caller.UserId) };
            if (req.Query["sessionId"].FirstOrDefault() is { Length: > 0 } sessionId)
            {
                var (session, _) = await sessions.GetAsync(caller, sessionId, cancellationToken);
                // An admin may read anyone's session, but a live stream is only for the session's own user.
                if (session.UserId != caller.UserId) throw new NotFoundException("No such session.");
                groups.Add(RealtimeGroups.Session(session.Id));
            }
            var connection = await hub.GetClientConnectionAsync(caller.UserId, groups, TimeSpan.FromMinutes(options.Value.RealtimeTokenMinutes), cancellationToken);
            return new OkObjectResult(new { url = connection.Url, baseUrl = connection.BaseUrl, accessToken = connection.AccessToken, expiresAt = connection.ExpiresAt, groups });
        });
}
