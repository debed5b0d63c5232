using System.Reflection;
using System.Text.Json.Nodes;

namespace CloneAI.Azure.Tests.Infra;

/// <summary>
/// Every setting the Functions host binds without a usable default (a null default) is either set in the Function App's app
/// settings by the Bicep, or listed here as deliberately left unset, with the reason. A new option with no default therefore
/// fails this test until the infra sets it or someone says why it need not.
/// </summary>
public sealed class SettingsCoverageTests
{
    /// <summary>Null-default settings the deployment leaves unset on purpose.</summary>
    private static readonly Dictionary<string, string> Unset = new(StringComparer.Ordinal)
    {
        ["Cosmos__ConnectionString"] = "key-based alternative to Cosmos__Endpoint (emulator); Azure signs in with the identity",
        ["Blob__ConnectionString"] = "key-based alternative to Blob__ServiceUri (Azurite); Azure signs in with the identity",
        ["WebPubSub__ConnectionString"] = "access-key alternative to WebPubSub__Endpoint; local auth is off in Azure",
        ["Embeddings__ApiKey"] = "Azure OpenAI is called with the identity",
        ["Chat__ApiKey"] = "Azure OpenAI is called with the identity",
        ["Search__ApiKey"] = "AI Search is called with the identity",
        ["Embeddings__Dimensions"] = "null keeps the model's own vector length (Search__Dimensions must match it)",
        ["Embeddings__QueryPrefix"] = "null means the model's default (none for Azure OpenAI)",
        ["Auth__SigningKey"] = "local mode only: Entra signs the tokens in Azure",
        ["Auth__RequiredScope"] = "optional until the app registration exposes a scope",
        ["Embeddings__BatchSize"] = "null means the provider's default (64 for remote models)",
        ["Stripe__ApiBase"] = "null means Stripe's own API; tests point it at a loopback fake",
    };

    private static readonly Assembly[] HostAssemblies =
    [
        typeof(Core.Names).Assembly,
        typeof(CloneAI.Azure.DependencyInjection).Assembly,
        typeof(CloneAI.Functions.DependencyInjection).Assembly,
        typeof(CloneAI.Stripe.StripeOptions).Assembly,
    ];

    /// <summary>Section__Property for every public settable property of an options class (one with a Section constant) whose default is null.</summary>
    public static IEnumerable<string> NullDefaultKeys()
    {
        foreach (var type in HostAssemblies.SelectMany(a => a.GetTypes()))
        {
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is not { IsLiteral: true } field) continue;
            if (type.GetConstructor(Type.EmptyTypes) is null) continue;
            var section = (string)field.GetRawConstantValue()!;
            var instance = Activator.CreateInstance(type)!;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetSetMethod() is not null))
            {
                if (property.PropertyType.IsValueType && Nullable.GetUnderlyingType(property.PropertyType) is null) continue;
                if (property.GetValue(instance) is null) yield return $"{section}__{property.Name}";
            }
        }
    }

    [Fact]
    public void EverySettingWithoutADefaultIsSetByTheInfraOrDeliberatelyUnset()
    {
        var template = BicepBuildTests.BuildMainTemplate();
        var settings = (string)BicepBuildTests.ApiModule(template)["properties"]!["parameters"]!["appSettings"]!["value"]!;
        var keys = NullDefaultKeys().ToList();
        Assert.Contains("Cosmos__Endpoint", keys); // the discovery works
        var missing = keys.Where(k => !Unset.ContainsKey(k) && !settings.Contains($"'{k}'", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "Not set by infra/bicep and not listed as deliberately unset: " + string.Join(", ", missing));
        // The list stays honest: nothing in it is actually set, and nothing in it is stale.
        Assert.DoesNotContain(Unset.Keys, k => settings.Contains($"'{k}'", StringComparison.Ordinal));
        Assert.Empty(Unset.Keys.Except(keys));
    }
}
