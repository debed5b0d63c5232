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
}
