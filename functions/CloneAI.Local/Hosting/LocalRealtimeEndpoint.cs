using CloneAI.Core.Realtime;
using CloneAI.Core;
using CloneAI.Functions.Http;
using CloneAI.Local.Realtime;
using Microsoft.AspNetCore.Mvc;

namespace CloneAI.Local.Hosting;

/// <summary>
/// <c>/client/hubs/{hub}</c>: the WebSocket endpoint of <see cref="LocalRealtimeHub"/>, as Web PubSub's client URL. A new connection
/// brings the access token from negotiation and asks for <c>json.webpubsub.azure.v1</c> or <c>json.reliable.webpubsub.azure.v1</c>;
/// a reliable one that dropped resumes with <c>awps_connection_id</c> and <c>awps_reconnection_token</c> instead.
/// </summary>
public static class LocalRealtimeEndpoint
{
    public static void Map(WebApplication app) =>
        app.Map("/client/hubs/{hub}", async (HttpContext context, string hub, LocalRealtimeHub realtime) =>
        {
            if (hub != RealtimeNames.Hub)
            {
                await Write(context, Problems.Create(404, "Not found", $"There is no hub '{hub}'."));
                return;
            }
            if (!context.WebSockets.IsWebSocketRequest)
            {
                await Write(context, Problems.Create(400, "Bad request", $"Connect with a WebSocket (subprotocol {HubProtocols.Json} or {HubProtocols.ReliableJson})."));
                return;
            }
            var protocol = HubProtocols.Choose(context.WebSockets.WebSocketRequestedProtocols);
            var query = context.Request.Query;
            // A reliable client that lost its socket comes back with its connection id and reconnection token instead of a new token.
            if (protocol == HubProtocols.ReliableJson && query.ContainsKey(HubProtocols.ConnectionIdParameter))
            {
                using var resumed = await context.WebSockets.AcceptWebSocketAsync(protocol);
                await realtime.ResumeAsync(resumed, query[HubProtocols.ConnectionIdParameter].FirstOrDefault(),
                    query[HubProtocols.ReconnectionTokenParameter].FirstOrDefault(), context.RequestAborted);
                return;
            }
            var token = query["access_token"].FirstOrDefault();
            if (string.IsNullOrEmpty(token) && context.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                token = header[7..].Trim();
            var identity = await realtime.ValidateAsync(hub, token);
            if (identity is null)
            {
                await Write(context, Problems.Create(401, "Unauthorized", "The access token is missing, invalid or expired. Get a new one from /api/realtime/negotiate."));
                return;
            }
            if (protocol is null)
            {
                await Write(context, Problems.Create(400, "Bad request", $"Request the subprotocol {HubProtocols.Json} or {HubProtocols.ReliableJson}."));
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol);
            await realtime.RunAsync(socket, protocol, identity.Value.UserId, identity.Value.Groups, context.RequestAborted);
        });

    private static Task Write(HttpContext context, IActionResult result) => FunctionRoutes.Execute(context, result);
}
