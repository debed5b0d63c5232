using CloneAI.Core.Realtime;
using CloneAI.Core;
using CloneAI.Functions.Http;
using CloneAI.Local.Realtime;
using Microsoft.AspNetCore.Mvc;

namespace CloneAI.Local.Hosting;

/// <summary><c>/client/hubs/{hub}</c>: the WebSocket endpoint of <see cref="LocalRealtimeHub"/>, as Web PubSub's client URL.</summary>
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
                await Write(context, Problems.Create(400, "Bad request", "Connect with a WebSocket (subprotocol json.webpubsub.azure.v1)."));
                return;
            }
            var token = context.Request.Query["access_token"].FirstOrDefault();
            if (string.IsNullOrEmpty(token) && context.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                token = header[7..].Trim();
            var identity = await realtime.ValidateAsync(hub, token);
            if (identity is null)
            {
                await Write(context, Problems.Create(401, "Unauthorized", "The access token is missing, invalid or expired. Get a new one from /api/realtime/negotiate."));
                return;
            }
            if (!context.WebSockets.WebSocketRequestedProtocols.Contains(RealtimeNames.Subprotocol))
            {
                await Write(context, Problems.Create(400, "Bad request", $"Request the subprotocol {RealtimeNames.Subprotocol}."));
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync(RealtimeNames.Subprotocol);
            await realtime.RunAsync(socket, identity.Value.UserId, identity.Value.Groups, context.RequestAborted);
        });

    private static Task Write(HttpContext context, IActionResult result) => FunctionRoutes.Execute(context, result);
}
