namespace CloneAI.Functions.Api.Billing;

/// <summary>What a Lago webhook came to: <c>applied</c> now, or <c>replayed</c> (its unique key was applied before: nothing changed).</summary>
public sealed record LagoWebhookAck(string Outcome);
