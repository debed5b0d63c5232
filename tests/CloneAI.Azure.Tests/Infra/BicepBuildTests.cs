using System.Diagnostics;
using System.Text.Json.Nodes;

namespace CloneAI.Azure.Tests.Infra;

/// <summary>The infrastructure compiles offline with the bicep binary from the Azure.Bicep.CommandLine package.</summary>
public sealed class BicepBuildTests
{
    private static string Bicep
    {
        get
        {
            var path = TestPaths.BicepPath;
            Assert.True(File.Exists(path), $"No bicep binary at {path}.");
            if (!OperatingSystem.IsWindows())
            {
                var mode = File.GetUnixFileMode(path);
                const UnixFileMode exec = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
                if ((mode & exec) != exec) File.SetUnixFileMode(path, mode | exec);
            }
            return path;
        }
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var start = new ProcessStartInfo(Bicep) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("bicep did not finish within 3 minutes.");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void MainBicepBuildsOffline()
    {
        var main = Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "main.bicep");

        var (exitCode, stdout, stderr) = Run("build", main, "--stdout");

        Assert.True(exitCode == 0, $"bicep build failed ({exitCode}):\n{stderr}");
        var template = JsonNode.Parse(stdout)!;
        Assert.Equal("https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#", (string?)template["$schema"]);
        var outputs = template["outputs"]!.AsObject().Select(o => o.Key).ToList();
        Assert.All(outputs, o => Assert.Matches("^[A-Z][A-Z0-9_]*$", o));
        Assert.Contains("AZURE_COSMOS_ENDPOINT", outputs);
        Assert.DoesNotContain("warning", stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheParametersFileBuildsAgainstMain()
    {
        var parameters = Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "main.parameters.json");
        var json = JsonNode.Parse(File.ReadAllText(parameters))!;
        Assert.NotNull(json["parameters"]!["environmentName"]);
        Assert.NotNull(json["parameters"]!["location"]);
    }

    [Fact]
    public void TheCosmosContainersInBicepAreTheOnesTheCodeUses()
    {
        var cosmos = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "app", "cosmos.bicep"));
        foreach (var name in new[] { Core.Names.UsersContainer, Core.Names.ClonesContainer, Core.Names.SlugsContainer, Core.Names.CosmosDatabase })
            Assert.Contains($"'{name}'", cosmos);
        Assert.Contains("'/id'", cosmos);
    }
}
