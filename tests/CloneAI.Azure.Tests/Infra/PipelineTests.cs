using YamlDotNet.RepresentationModel;

namespace CloneAI.Azure.Tests.Infra;

/// <summary>azure.yaml and the GitHub workflows, parsed as YAML and checked against the repository and the Bicep.</summary>
public sealed class PipelineTests
{
    private static YamlMappingNode Load(params string[] path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine([TestPaths.RepositoryRoot, .. path]));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] keys) =>
        keys.Aggregate(node, (n, k) => ((YamlMappingNode)n).Children[new YamlScalarNode(k)]);

    private static string Scalar(YamlNode node, params string[] keys) => ((YamlScalarNode)At(node, keys)).Value!;

    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode workflow, string job) =>
        ((YamlSequenceNode)At(workflow, "jobs", job, "steps")).Children.Cast<YamlMappingNode>();

    private static IEnumerable<string> Runs(YamlMappingNode workflow, string job) =>
        Steps(workflow, job).Where(s => s.Children.ContainsKey(new YamlScalarNode("run"))).Select(s => Scalar(s, "run"));

    [Fact]
    public void TheTestWorkflowRunsDotTestOnPullRequests()
    {
        var workflow = Load(".github", "workflows", "test.yml");
        Assert.True(((YamlMappingNode)At(workflow, "on")).Children.ContainsKey(new YamlScalarNode("pull_request")));
        Assert.Contains("./test", Runs(workflow, "test"));
        Assert.Equal("read", Scalar(workflow, "permissions", "contents"));
    }

    [Fact]
    public void TheDeployWorkflowProvisionsAndDeploysOnMainWithFederatedCredentials()
    {
        var workflow = Load(".github", "workflows", "deploy.yml");
        var branches = (YamlSequenceNode)At(workflow, "on", "push", "branches");
        Assert.Contains("main", branches.Children.Select(b => ((YamlScalarNode)b).Value));
        Assert.Equal("write", Scalar(workflow, "permissions", "id-token"));
        var runs = Runs(workflow, "deploy").ToList();
        Assert.Contains(runs, r => r.StartsWith("azd auth login", StringComparison.Ordinal) && r.Contains("--federated-credential-provider github", StringComparison.Ordinal));
        Assert.Contains("azd provision --no-prompt", runs);
        Assert.Contains("azd deploy --no-prompt", runs);
        // The postdeploy hook calls the Azure CLI: it is signed in with the same federated credential, before the deploy.
        var steps = Steps(workflow, "deploy").ToList();
        var login = steps.FindIndex(s => s.Children.ContainsKey(new YamlScalarNode("uses")) && Scalar(s, "uses").StartsWith("azure/login@", StringComparison.Ordinal));
        var deploy = steps.FindIndex(s => s.Children.ContainsKey(new YamlScalarNode("run")) && Scalar(s, "run") == "azd deploy --no-prompt");
        Assert.InRange(login, 0, deploy - 1);
        Assert.Equal("${{ vars.AZURE_CLIENT_ID }}", Scalar(steps[login], "with", "client-id"));
        Assert.DoesNotContain("secrets.", File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, ".github", "workflows", "deploy.yml")), StringComparison.Ordinal);
    }

    [Fact]
    public void AzureYamlServicesExistAndMatchTheBicepTags()
    {
        var azure = Load("azure.yaml");
        var services = (YamlMappingNode)At(azure, "services");
        Assert.Equal(["api", "web"], services.Children.Keys.Select(k => ((YamlScalarNode)k).Value).Order(StringComparer.Ordinal));
        foreach (var (key, _) in services.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            var project = Scalar(services, name, "project");
            Assert.True(Directory.Exists(Path.Combine(TestPaths.RepositoryRoot, project)), $"{name}: {project} does not exist");
        }
        Assert.Equal("function", Scalar(services, "api", "host"));
        Assert.True(File.Exists(Path.Combine(TestPaths.RepositoryRoot, Scalar(services, "api", "project"), "CloneAI.Functions.Host.csproj")));
        Assert.Equal("staticwebapp", Scalar(services, "web", "host"));
        Assert.Equal("dist", Scalar(services, "web", "dist"));
        Assert.Equal("infra/bicep", Scalar(azure, "infra", "path"));

        var bicep = string.Concat(Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep"), "*.bicep", SearchOption.AllDirectories).Select(File.ReadAllText));
        foreach (var name in new[] { "api", "web" })
            Assert.Contains($"'azd-service-name': '{name}'", bicep, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Stdout, string Stderr) Sh(string command, string workingDirectory, IDictionary<string, string> env)
    {
        // The hooks read azd outputs from the environment: the test's own process must not lend them any.
        var environment = new Dictionary<string, string?>
        {
            ["AZURE_RESOURCE_GROUP"] = null, ["AZURE_FUNCTION_APP_NAME"] = null, ["AZURE_EVENTGRID_SYSTEM_TOPIC"] = null, ["AZURE_FUNCTION_APP_URL"] = null,
        };
        foreach (var (k, v) in env) environment[k] = v;
        return TestProcess.Run("/bin/sh", ["-c", command], TimeSpan.FromMinutes(1), workingDirectory, environment);
    }

    private static string Hook(YamlNode node, params string[] keys) => Scalar(node, [.. keys, "posix", "run"]);

    /// <summary>A stand-in Azure CLI on PATH: logs each call; the blobs_extension key "exists" from call <c>readyAfter</c> on.</summary>
    private static Dictionary<string, string> FakeAz(string dir, int readyAfter)
    {
        var bin = Directory.CreateDirectory(Path.Combine(dir, "bin")).FullName;
        var az = Path.Combine(bin, "az");
        File.WriteAllText(az, $$"""
            #!/bin/sh
            printf '%s\n' "$*" >> "{{dir}}/az.log"
            if [ "$1 $2 $3" = "functionapp keys list" ]; then
              n=$(cat "{{dir}}/count" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "{{dir}}/count"
              if [ "$n" -ge {{readyAfter}} ]; then echo true; else echo false; fi
            fi
            exit 0
            """.ReplaceLineEndings("\n"));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new()
        {
            ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["AZURE_RESOURCE_GROUP"] = "rg-test",
            ["AZURE_FUNCTION_APP_NAME"] = "func-api-abc",
            ["AZURE_EVENTGRID_SYSTEM_TOPIC"] = "evgt-abc",
            ["CLONEAI_KEY_ATTEMPTS"] = "4",
            ["CLONEAI_KEY_DELAY_SECONDS"] = "0",
        };
    }

    [Fact]
    public void ThePostdeployHookWaitsForTheBlobsExtensionKeyThenDeploysTheSubscriptionModule()
    {
        var run = Hook(Load("azure.yaml"), "hooks", "postdeploy");
        var dir = Directory.CreateTempSubdirectory("cloneai-hook-").FullName;
        try
        {
            var (exitCode, stdout, stderr) = Sh(run, TestPaths.RepositoryRoot, FakeAz(dir, readyAfter: 3));

            Assert.True(exitCode == 0, stdout + stderr);
            var calls = File.ReadAllLines(Path.Combine(dir, "az.log"));
            Assert.Equal(4, calls.Length);
            Assert.All(calls[..3], c => Assert.StartsWith("functionapp keys list --resource-group rg-test --name func-api-abc", c));
            Assert.All(calls[..3], c => Assert.Contains("--query systemKeys.blobs_extension != null", c)); // never the key itself
            var deploy = calls[3];
            Assert.StartsWith("deployment group create --resource-group rg-test --name blob-event-subscription --template-file ", deploy);
            var template = deploy.Split(' ')[8];
            Assert.Equal(Path.Combine(TestPaths.RepositoryRoot, "infra", "bicep", "app", "blob-event-subscription.bicep"), Path.GetFullPath(template));
            Assert.Contains("--parameters systemTopicName=evgt-abc functionAppName=func-api-abc", deploy);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void ThePostdeployHookGivesUpWhenTheKeyNeverAppearsAndDeploysNothing()
    {
        var run = Hook(Load("azure.yaml"), "hooks", "postdeploy");
        var dir = Directory.CreateTempSubdirectory("cloneai-hook-").FullName;
        try
        {
            var (exitCode, _, stderr) = Sh(run, TestPaths.RepositoryRoot, FakeAz(dir, readyAfter: 99));

            Assert.NotEqual(0, exitCode);
            Assert.Contains("no blobs_extension key after 4 tries", stderr);
            Assert.DoesNotContain(File.ReadAllLines(Path.Combine(dir, "az.log")), c => c.StartsWith("deployment", StringComparison.Ordinal));

            var env = FakeAz(dir, readyAfter: 1);
            env.Remove("AZURE_EVENTGRID_SYSTEM_TOPIC");
            var missing = Sh(run, TestPaths.RepositoryRoot, env);
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("AZURE_EVENTGRID_SYSTEM_TOPIC", missing.Stderr);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void TheWebBuildLearnsTheApiUrlBeforeItIsPackaged()
    {
        var run = Hook(Load("azure.yaml"), "services", "web", "hooks", "prepackage");
        var dir = Directory.CreateTempSubdirectory("cloneai-web-").FullName;
        try
        {
            var (exitCode, _, stderr) = Sh(run, dir, new Dictionary<string, string> { ["AZURE_FUNCTION_APP_URL"] = "https://func-api-abc.azurewebsites.net" });
            Assert.True(exitCode == 0, stderr);
            Assert.Equal("VITE_API_BASE_URL=https://func-api-abc.azurewebsites.net\n", File.ReadAllText(Path.Combine(dir, ".env.production.local")));

            File.Delete(Path.Combine(dir, ".env.production.local"));
            var missing = Sh(run, dir, new Dictionary<string, string>());
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("azd provision", missing.Stderr);
        }
        finally { Directory.Delete(dir, recursive: true); }
        // The file is the build's input, never committed.
        Assert.Contains("static-web/.env*.local", File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot, ".gitignore")));
    }
}
