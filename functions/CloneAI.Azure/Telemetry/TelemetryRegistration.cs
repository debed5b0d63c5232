using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CloneAI.Azure.Telemetry;

/// <summary>
/// OpenTelemetry to Application Insights, on when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set: the app's own
/// traces and metrics (<see cref="Core.Telemetry"/>), outgoing HTTP calls (Cosmos DB, AI Search, OpenAI, Web PubSub) and
/// logs. With <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> = <c>ClientId=…;Authorization=AAD</c> (as the Bicep sets
/// it) the exporter signs in with that managed identity, so the resource can refuse keyed ingestion.
/// </summary>
public static class TelemetryRegistration
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";
    public const string ServiceName = "cloneai-api";

    /// <summary>
    /// Registers the exporter and returns the builder (for the Functions worker's own instrumentation), or null when no
    /// connection string is configured, in which case nothing is registered and nothing is sent anywhere.
    /// </summary>
    public static OpenTelemetryBuilder? AddCloneAITelemetry(
        this IServiceCollection services, IConfiguration configuration, Action<AzureMonitorExporterOptions>? configure = null)
    {
        var connectionString = configuration[ConnectionStringSetting];
        if (string.IsNullOrWhiteSpace(connectionString)) return null;
        var credential = Credential(configuration[AuthenticationStringSetting]);

        var builder = services.AddOpenTelemetry();
        builder
            .ConfigureResource(r => r.AddService(ServiceName, serviceVersion: typeof(TelemetryRegistration).Assembly.GetName().Version?.ToString()))
            .WithTracing(t => t.AddSource(Core.Telemetry.Name).AddHttpClientInstrumentation())
            .WithMetrics(m => m.AddMeter(Core.Telemetry.Name))
            .UseAzureMonitorExporter(o =>
            {
                o.ConnectionString = connectionString;
                if (credential is not null) o.Credential = credential;
                configure?.Invoke(o);
            });
        return builder;
    }

    /// <summary>The Entra credential an authentication string asks for; null for none (keyed ingestion).</summary>
    internal static TokenCredential? Credential(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString)) return null;
        var parts = SettingStrings.Parse(authenticationString);
        if (!parts.TryGetValue("Authorization", out var auth) || !auth.Equals("AAD", StringComparison.OrdinalIgnoreCase)) return null;
        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
