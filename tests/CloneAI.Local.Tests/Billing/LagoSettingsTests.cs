using CloneAI.Local.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CloneAI.Local.Tests.Billing;

/// <summary>The Lago settings are required, and checked at start, only with Billing:Provider=lago.</summary>
public sealed class LagoSettingsTests
{
    [Theory]
    [InlineData("Lago:ApiUrl")]
    [InlineData("Lago:ApiKey")]
    [InlineData("Lago:WebhookHmacKey")]
    public async Task WithLagoAMissingSettingStopsTheHostAtStartAndNamesIt(string missing)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "None",
            ["Billing:Provider"] = "lago",
            ["Lago:ApiUrl"] = "http://127.0.0.1:9",
            ["Lago:ApiKey"] = "key",
            ["Lago:WebhookHmacKey"] = "hmac",
            [missing] = null,
        };
        var data = Path.Combine(Path.GetTempPath(), "cloneai-lago-settings-" + Guid.NewGuid().ToString("N"));
        var app = LocalHost.Build(["--data", data, "--urls", $"http://127.0.0.1:{LocalHostFixture.FreePort()}"],
            b => b.Configuration.AddInMemoryCollection(settings));
        try
        {
            var e = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
            Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task WithTheTestProviderNoLagoSettingIsNeededAndTheWebhookRouteIs404()
    {
        await using var host = await OwnHost.StartAsync();
        using var http = Contract.ContractClient.Create(new Uri(host.Url));
        var response = await FakeLago.SendWebhookAsync(http, "/api/billing/lago/webhook", "{}", "hmac", "c2ln", Guid.NewGuid().ToString());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(host.Services.GetService(typeof(CloneAI.Core.Billing.IBillingOutbox)));
    }
}
