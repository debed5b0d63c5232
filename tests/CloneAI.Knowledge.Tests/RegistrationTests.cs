using CloneAI.Core.Knowledge;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace CloneAI.Knowledge.Tests;

public sealed class RegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton<Tokenizer>(TestDocuments.Tokenizer); // the host provides the embedding model's tokenizer
        services.AddCloneAIKnowledgeCore();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public void TheExtractorAndChunkerAreRegisteredAsSingletonsWithBoundOptions()
    {
        using var provider = Build(new() { ["Chunking:MaxTokens"] = "128", ["Chunking:OverlapTokens"] = "16" });

        Assert.IsType<DocumentExtractor>(provider.GetRequiredService<ITextExtractor>());
        Assert.Same(provider.GetRequiredService<IChunker>(), provider.GetRequiredService<IChunker>());
        Assert.Equal(128, provider.GetRequiredService<IOptions<ChunkingOptions>>().Value.MaxTokens);
    }

    [Fact]
    public void InvalidChunkingOptionsAreRejected()
    {
        using var provider = Build(new() { ["Chunking:MaxTokens"] = "5" });
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ChunkingOptions>>().Value);
    }
}
