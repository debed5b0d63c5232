using System.ComponentModel;
using System.Text.Json.Serialization;
using CloneAI.Functions.Http;

namespace CloneAI.Functions.Api.Ops;

public static class HealthStatus
{
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
}

public static class StoreStatus
{
    public const string Ok = "ok";
    public const string Unavailable = "unavailable";
}

public static class AuthModes
{
    public const string Local = Core.Names.AuthModeLocal;
    public const string Entra = Core.Names.AuthModeEntra;
}

public sealed record Health([property: ValuesFrom(typeof(HealthStatus))] string Status, string Version, [property: ValuesFrom(typeof(StoreStatus))] string Store);


public sealed record ClientFeatures(bool Chat, bool Knowledge, [property: Description("Whether this host emails a receipt when a used or charged session ends.")] bool Receipts);

/// <summary>What the web app needs to know: the auth mode, and in entra mode where to sign in (absent otherwise).</summary>
public sealed record ClientConfig(
    [property: ValuesFrom(typeof(AuthModes))] string AuthMode,
    string Version,
    ClientFeatures Features,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EntraClient? Entra);
