using CloneAI.Core.Memory;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CloneAI.Core.Tests.Memory;

public sealed class MemoryCompositionTests
{
    private static MemoryExtractor Extractor(Dictionary<string, string?> settings, bool chatClient)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddCloneAICore();
        if (chatClient) services.AddSingleton<IChatClient>(new RecordingChat(_ => "{\"items\":[]}"));
        using var provider = services.BuildServiceProvider();
        return Assert.IsType<MemoryExtractor>(provider.GetRequiredService<IMemoryExtractor>());
    }

    [Fact]
    public void WithAChatModelConfiguredTheModelExtracts() =>
        Assert.True(Extractor(new() { ["Chat:Provider"] = "openai", ["Chat:Model"] = "m" }, chatClient: true).UsesModel);

    [Fact]
    public void WithoutAModelOrWithModelExtractionOffThePatternsExtract()
    {
        Assert.False(Extractor(new() { ["Chat:Provider"] = "extractive" }, chatClient: true).UsesModel);
        Assert.False(Extractor(new() { ["Chat:Provider"] = "openai", ["Chat:Model"] = "m" }, chatClient: false).UsesModel);
        Assert.False(Extractor(new() { ["Chat:Provider"] = "openai", ["Chat:Model"] = "m", ["Memory:ExtractWithModel"] = "false" }, chatClient: true).UsesModel);
    }
}
