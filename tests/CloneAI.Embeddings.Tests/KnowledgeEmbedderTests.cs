using System.ComponentModel.DataAnnotations;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace CloneAI.Embeddings.Tests;

public sealed class KnowledgeEmbedderTests
{
    /// <summary>A generator that records its calls and returns unnormalised vectors [index+1, 2, 0, ...].</summary>
    private static Mock<IEmbeddingGenerator<string, Embedding<float>>> Generator(List<string[]> calls, List<EmbeddingGenerationOptions?> options,
        string? modelId = "snowflake-arctic-embed-xs", int? dimensions = 384)
    {
        var mock = new Mock<IEmbeddingGenerator<string, Embedding<float>>>();
        mock.Setup(g => g.GetService(typeof(EmbeddingGeneratorMetadata), null))
            .Returns(new EmbeddingGeneratorMetadata("test", null, modelId, dimensions));
        mock.Setup(g => g.GenerateAsync(It.IsAny<IEnumerable<string>>(), It.IsAny<EmbeddingGenerationOptions?>(), It.IsAny<CancellationToken>()))
            .Returns((IEnumerable<string> values, EmbeddingGenerationOptions? o, CancellationToken _) =>
            {
                var batch = values.ToArray();
                calls.Add(batch);
                options.Add(o);
                var result = new GeneratedEmbeddings<Embedding<float>>(batch.Select(v =>
                {
                    var vector = new float[dimensions ?? 4];
                    vector[0] = v.Length;
                    vector[1] = 2;
                    return new Embedding<float>(vector);
                }));
                return Task.FromResult(result);
            });
        return mock;
    }

    private static KnowledgeEmbedder Embedder(IEmbeddingGenerator<string, Embedding<float>> generator, EmbeddingOptions options) =>
        new(generator, Options.Create(options));

    [Fact]
    public async Task Queries_get_the_arctic_prefix_by_default_and_passages_do_not()
    {
        List<string[]> calls = [];
        var embedder = Embedder(Generator(calls, []).Object, new EmbeddingOptions());
        await embedder.EmbedQueryAsync("what causes covid?");
        await embedder.EmbedPassagesAsync(["a passage"]);
        Assert.Equal(EmbeddingOptions.ArcticQueryPrefix + "what causes covid?", Assert.Single(calls[0]));
        Assert.Equal("a passage", Assert.Single(calls[1]));
    }

    [Fact]
    public async Task Remote_models_take_no_prefix_unless_configured()
    {
        List<string[]> calls = [];
        var remote = Embedder(Generator(calls, [], "text-embedding-3-small", null).Object, new EmbeddingOptions { Provider = "openai", ApiKey = "k" });
        await remote.EmbedQueryAsync("q");
        var custom = Embedder(Generator(calls, []).Object, new EmbeddingOptions { QueryPrefix = "query: " });
        await custom.EmbedQueryAsync("q");
        var none = Embedder(Generator(calls, []).Object, new EmbeddingOptions { QueryPrefix = "" });
        await none.EmbedQueryAsync("q");
        Assert.Equal(["q", "query: q", "q"], calls.Select(c => Assert.Single(c)));
    }

    [Fact]
    public async Task Passages_are_split_into_BatchSize_calls_in_order_and_normalised()
    {
        List<string[]> calls = [];
        Assert.Equal(2048, Embedder(Generator(calls, []).Object, new EmbeddingOptions()).BatchSize);
        var embedder = Embedder(Generator(calls, []).Object, new EmbeddingOptions { BatchSize = 32 });
        Assert.Equal(32, embedder.BatchSize);
        var passages = Enumerable.Range(0, 70).Select(i => new string('x', i + 1)).ToArray();
        var vectors = await embedder.EmbedPassagesAsync(passages);
        Assert.Equal([32, 32, 6], calls.Select(c => c.Length));
        Assert.Equal(passages, calls.SelectMany(c => c));
        for (var i = 0; i < passages.Length; i++)
        {
            Assert.InRange(Vectors.Norm(vectors[i]), 0.99999, 1.00001);
            Assert.Equal((i + 1) / Math.Sqrt((i + 1) * (i + 1) + 4.0), vectors[i][0], 5);
        }
        Assert.Empty(await embedder.EmbedPassagesAsync([]));
        Assert.Equal(3, calls.Count);
    }

    [Fact]
    public async Task Remote_batches_default_to_64_and_dimensions_pass_through()
    {
        List<string[]> calls = [];
        List<EmbeddingGenerationOptions?> options = [];
        var embedder = Embedder(Generator(calls, options, "text-embedding-3-large", null).Object,
            new EmbeddingOptions { Provider = "azure-openai", Endpoint = new Uri("https://x.openai.azure.com/"), Dimensions = 256 });
        Assert.Equal(64, embedder.BatchSize);
        Assert.Equal(new EmbeddingModelInfo("text-embedding-3-large", 256), embedder.Model);
        await embedder.EmbedPassagesAsync(Enumerable.Repeat("p", 65).ToArray());
        Assert.Equal([64, 1], calls.Select(c => c.Length));
        Assert.All(options, o => Assert.Equal(256, o?.Dimensions));
    }

    [Fact]
    public void The_model_comes_from_the_generator_metadata_or_the_options()
    {
        Assert.Equal(new EmbeddingModelInfo("snowflake-arctic-embed-xs", 384), Embedder(Generator([], []).Object, new EmbeddingOptions()).Model);
        Assert.Equal(new EmbeddingModelInfo("text-embedding-3-small", 1536),
            Embedder(Generator([], [], null, null).Object, new EmbeddingOptions { Provider = "openai", ApiKey = "k" }).Model);
        Assert.Throws<InvalidOperationException>(() =>
            Embedder(Generator([], [], "my-deployment", null).Object, new EmbeddingOptions { Provider = "openai", ApiKey = "k" }));
    }

    [Fact]
    public async Task A_generator_returning_the_wrong_count_is_an_error()
    {
        var mock = new Mock<IEmbeddingGenerator<string, Embedding<float>>>();
        mock.Setup(g => g.GetService(typeof(EmbeddingGeneratorMetadata), null)).Returns(new EmbeddingGeneratorMetadata("t", null, "m", 2));
        mock.Setup(g => g.GenerateAsync(It.IsAny<IEnumerable<string>>(), It.IsAny<EmbeddingGenerationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new GeneratedEmbeddings<Embedding<float>>());
        await Assert.ThrowsAsync<InvalidOperationException>(() => Embedder(mock.Object, new EmbeddingOptions()).EmbedPassagesAsync(["a"]));
    }

    [Theory]
    [InlineData("local", null, null, true)]
    [InlineData("LOCAL", null, null, true)]
    [InlineData("azure-openai", "https://x.openai.azure.com/", null, true)]
    [InlineData("azure-openai", null, null, false)]
    [InlineData("openai", null, "sk-1", true)]
    [InlineData("openai", "http://localhost:11434/v1/", null, true)]
    [InlineData("openai", null, null, false)]
    [InlineData("ollama", null, null, false)]
    public void Options_are_validated(string provider, string? endpoint, string? apiKey, bool valid)
    {
        var options = new EmbeddingOptions { Provider = provider, Endpoint = endpoint is null ? null : new Uri(endpoint), ApiKey = apiKey };
        var results = new List<ValidationResult>();
        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
    }
}
