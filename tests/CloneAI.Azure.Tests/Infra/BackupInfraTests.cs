using System.Text.Json.Nodes;

namespace CloneAI.Azure.Tests.Infra;

/// <summary>Issue 15 part 6: the Azure data can be restored: Cosmos continuous backup (point-in-time restore), blob versioning and soft delete.</summary>
public sealed class BackupInfraTests
{
    private static JsonNode Build(string module)
    {
        var bicep = TestPaths.BicepPath;
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(bicep);
            const UnixFileMode exec = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            if ((mode & exec) != exec) File.SetUnixFileMode(bicep, mode | exec);
        }
        var path = Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "app", module);
        var (exitCode, stdout, stderr) = TestProcess.Run(bicep, ["build", path, "--stdout"], TimeSpan.FromMinutes(3),
            environment: new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });
        Assert.True(exitCode == 0, $"bicep build of {module} failed ({exitCode}):\n{stderr}");
        Assert.DoesNotContain("warning", stderr, StringComparison.OrdinalIgnoreCase);
        return JsonNode.Parse(stdout)!;
    }

    private static JsonObject Resource(JsonNode template, string type) =>
        template["resources"]!.AsArray().Select(r => r!.AsObject()).Single(r => (string?)r["type"] == type);

    [Fact]
    public void CosmosHasContinuousBackupForPointInTimeRestore()
    {
        var template = Build("cosmos.bicep");
        var account = Resource(template, "Microsoft.DocumentDB/databaseAccounts");
        var policy = account["properties"]!["backupPolicy"]!;
        Assert.Equal("Continuous", (string?)policy["type"]);
        Assert.Equal("[parameters('backupTier')]", (string?)policy["continuousModeProperties"]!["tier"]);
        var tier = template["parameters"]!["backupTier"]!;
        Assert.Equal("Continuous7Days", (string?)tier["defaultValue"]);
        Assert.Equal(["Continuous7Days", "Continuous30Days"], tier["allowedValues"]!.AsArray().Select(v => (string?)v));
    }

    [Fact]
    public void BlobsKeepVersionsAndDeletedBlobsAndContainersStayRestorable()
    {
        var template = Build("storage.bicep");
        var blobService = Resource(template, "Microsoft.Storage/storageAccounts/blobServices")["properties"]!;
        Assert.True((bool)blobService["isVersioningEnabled"]!);
        foreach (var policy in new[] { "deleteRetentionPolicy", "containerDeleteRetentionPolicy" })
        {
            Assert.True((bool)blobService[policy]!["enabled"]!);
            Assert.Equal("[parameters('softDeleteRetentionDays')]", (string?)blobService[policy]!["days"]);
        }
        Assert.Equal(14, (int)template["parameters"]!["softDeleteRetentionDays"]!["defaultValue"]!);
    }
}
