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
    [ApiDoc("A realtime client URL and token (subprotocols json.webpubsub.azure.v1 and json.reliable.webpubsub.azure.v1) for your own groups", Tag = "Chat", Access = "signed in", Auth = ApiAuth.Required, Errors = [404])]
    [Query<NegotiateQuery>]
    [Returns<RealtimeNegotiation>]
    public Task<IActionResult> Negotiate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "realtime/negotiate")] HttpRequest req, CancellationToken cancellationToken) =>
        Respond.Run(logger, async () =>
        {
            var caller = await auth.RequireCallerAsync(req, cancellationToken);
            var groups = new List<string> { RealtimeGroups.User(caller.UserId) };
            if (QueryReader.Read<NegotiateQuery>(req.Query).SessionId is { } sessionId)
            {
                var (session, _) = await sessions.GetAsync(caller, sessionId, cancellationToken);
                // An admin may read anyone's session, but a live stream is only for the session's own user.
                if (session.UserId != caller.UserId) throw new NotFoundException("No such session.");
                groups.Add(RealtimeGroups.Session(session.Id));
            }
            var connection = await hub.GetClientConnectionAsync(caller.UserId, groups, TimeSpan.FromMinutes(options.Value.RealtimeTokenMinutes), cancellationToken);
            return new OkObjectResult(new RealtimeNegotiation(connection.Url, connection.BaseUrl, connection.AccessToken, connection.ExpiresAt, groups));
        });
}
