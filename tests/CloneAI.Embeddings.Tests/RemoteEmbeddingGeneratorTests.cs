using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using CloneAI.Azure.AI;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloneAI.Embeddings.Tests;

/// <summary>Answers every embeddings request with unnormalised vectors [3, 4, 0, ...] (float or base64, as asked).</summary>
internal sealed class CannedEmbeddingsHandler(int dimensions = 8) : HttpMessageHandler
{
    public List<(HttpRequestMessage Request, JsonObject Body)> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
        Requests.Add((request, body));
        var inputs = body["input"] is JsonArray array ? array.Count : 1;
        var base64 = (string?)body["encoding_format"] == "base64";
        var data = new JsonArray();
        for (var i = 0; i < inputs; i++)
        {
            var vector = new float[(int?)body["dimensions"] ?? dimensions];
            vector[0] = 3;
            vector[1] = 4;
            JsonNode embedding = base64
                ? JsonValue.Create(Convert.ToBase64String(vector.SelectMany(BitConverter.GetBytes).ToArray()))
                : new JsonArray(vector.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }
        var response = new JsonObject
        {
            ["object"] = "list", ["data"] = data, ["model"] = (string?)body["model"] ?? "deployment",
            ["usage"] = new JsonObject { ["prompt_tokens"] = 5 * inputs, ["total_tokens"] = 5 * inputs },
        };
        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(response.ToJsonString(), Encoding.UTF8, "application/json"),
        };
    }
}

internal sealed class StaticTokenCredential : TokenCredential
{
    public List<string[]> Scopes { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Scopes.Add(requestContext.Scopes);
        return new AccessToken("entra-token", DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}

public sealed class RemoteEmbeddingGeneratorTests
{
    private static (IEmbeddingGenerator<string, Embedding<float>> Generator, CannedEmbeddingsHandler Handler) Create(EmbeddingOptions options,
        TokenCredential? credential = null)
    {
        var handler = new CannedEmbeddingsHandler();
        var transport = new HttpClientPipelineTransport(new HttpClient(handler));
        return (RemoteEmbeddingGenerators.Create(options, credential, transport), handler);
    }

    [Fact]
    public async Task OpenAI_posts_to_v1_embeddings_with_model_dimensions_and_key()
    {
        var options = new EmbeddingOptions { Provider = "openai", ApiKey = "sk-test", Model = "text-embedding-3-small", Dimensions = 256 };
        var (generator, handler) = Create(options);
        var embedder = new KnowledgeEmbedder(generator, Options.Create(options));
        Assert.Equal(new EmbeddingModelInfo("text-embedding-3-small", 256), embedder.Model);

        var vectors = await embedder.EmbedPassagesAsync(["first passage", "second passage"]);

        var (request, body) = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://api.openai.com/v1/embeddings", request.RequestUri!.GetLeftPart(UriPartial.Path));
        Assert.Equal("Bearer sk-test", request.Headers.Authorization!.ToString());
        Assert.Equal("text-embedding-3-small", (string?)body["model"]);
        Assert.Equal(256, (int?)body["dimensions"]);
        Assert.Equal(["first passage", "second passage"], body["input"]!.AsArray().Select(x => (string?)x));
        Assert.All(vectors, v =>
        {
            Assert.Equal(256, v.Length);
            Assert.Equal(0.6f, v[0], 5);
            Assert.Equal(0.8f, v[1], 5);
        });
        Assert.Equal("openai", generator.GetService<EmbeddingGeneratorMetadata>()!.ProviderName);
    }

    [Fact]
    public async Task An_OpenAI_compatible_endpoint_is_used_as_the_base_address()
    {
        var options = new EmbeddingOptions { Provider = "openai", Endpoint = new Uri("http://localhost:11434/v1/"), Model = "nomic-embed-text", Dimensions = 8 };
        var (generator, handler) = Create(options);
        var embedder = new KnowledgeEmbedder(generator, Options.Create(options));
        var query = await embedder.EmbedQueryAsync("question");
        Assert.Equal("http://localhost:11434/v1/embeddings", handler.Requests[0].Request.RequestUri!.GetLeftPart(UriPartial.Path));
        Assert.Equal("question", (string?)handler.Requests[0].Body["input"]!.AsArray().Single());
        Assert.InRange(Vectors.Norm(query), 0.9999, 1.0001);
    }

    [Fact]
    public async Task Azure_OpenAI_with_an_api_key_posts_to_the_deployment()
    {
        var options = new EmbeddingOptions
        {
            Provider = "azure-openai", Endpoint = new Uri("https://contoso.openai.azure.com/"), ApiKey = "azure-key", Model = "embed-deploy",
            Dimensions = 512,
        };
        var (generator, handler) = Create(options);
        var embedder = new KnowledgeEmbedder(generator, Options.Create(options));
        var vectors = await embedder.EmbedPassagesAsync(["p1", "p2", "p3"]);

        var (request, body) = Assert.Single(handler.Requests);
        Assert.Equal("https://contoso.openai.azure.com/openai/deployments/embed-deploy/embeddings", request.RequestUri!.GetLeftPart(UriPartial.Path));
        Assert.Contains("api-version=", request.RequestUri.Query, StringComparison.Ordinal);
        Assert.Equal("azure-key", request.Headers.GetValues("api-key").Single());
        Assert.Equal(512, (int?)body["dimensions"]);
        Assert.Equal(3, vectors.Length);
        Assert.All(vectors, v => Assert.InRange(Vectors.Norm(v), 0.9999, 1.0001));
        Assert.Equal(new EmbeddingModelInfo("embed-deploy", 512), embedder.Model);
    }

    [Fact]
    public async Task Azure_OpenAI_without_a_key_signs_in_with_the_token_credential()
    {
        var credential = new StaticTokenCredential();
        var options = new EmbeddingOptions { Provider = "azure-openai", Endpoint = new Uri("https://contoso.openai.azure.com/"), Model = "text-embedding-3-small" };
        var (generator, handler) = Create(options, credential);
        var vectors = await new KnowledgeEmbedder(generator, Options.Create(options)).EmbedPassagesAsync(["p"]);
        Assert.Equal("Bearer entra-token", handler.Requests[0].Request.Headers.Authorization!.ToString());
        Assert.Contains("https://cognitiveservices.azure.com/.default", credential.Scopes.SelectMany(s => s));
        Assert.Null(handler.Requests[0].Body["dimensions"]);
        Assert.Equal(8, Assert.Single(vectors).Length);
    }

    [Fact]
    public void The_local_provider_is_not_a_remote_generator()
    {
        Assert.Throws<InvalidOperationException>(() => RemoteEmbeddingGenerators.Create(new EmbeddingOptions()));
    }

    [Fact]
    public async Task AddCloneAIEmbeddings_registers_a_remote_generator_only_for_remote_providers()
    {
        static ServiceProvider Build(Dictionary<string, string?> settings)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
            services.AddCloneAIEmbeddings(configuration);
            return services.BuildServiceProvider();
        }

        await using (var local = Build(new() { ["Embeddings:Provider"] = "local" }))
        {
            Assert.Null(local.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
            Assert.True(local.GetRequiredService<IOptions<EmbeddingOptions>>().Value.IsLocal);
        }
        await using var remote = Build(new()
        {
            ["Embeddings:Provider"] = "azure-openai", ["Embeddings:Endpoint"] = "https://contoso.openai.azure.com/", ["Embeddings:ApiKey"] = "k",
            ["Embeddings:Model"] = "text-embedding-3-large",
        });
        var embedder = remote.GetRequiredService<IKnowledgeEmbedder>();
        Assert.Equal(new EmbeddingModelInfo("text-embedding-3-large", 3072), embedder.Model);
        Assert.Equal(64, embedder.BatchSize);
        await using var invalid = Build(new() { ["Embeddings:Provider"] = "azure-openai" });
        Assert.Throws<OptionsValidationException>(() => invalid.GetRequiredService<IOptions<EmbeddingOptions>>().Value);
    }

    [RealEndpointFact("AZURE_OPENAI_ENDPOINT")]
    public async Task A_real_Azure_OpenAI_deployment_returns_normalised_vectors()
    {
        var options = new EmbeddingOptions
        {
            Provider = "azure-openai",
            Endpoint = new Uri(Environment.GetEnvironmentVariable("AZURE_OPENAI_ENDPOINT")!),
            ApiKey = Environment.GetEnvironmentVariable("AZURE_OPENAI_API_KEY"),
            Model = Environment.GetEnvironmentVariable("AZURE_OPENAI_EMBEDDING_DEPLOYMENT") ?? "text-embedding-3-small",
        };
        var embedder = new KnowledgeEmbedder(RemoteEmbeddingGenerators.Create(options), Options.Create(options));
        var vectors = await embedder.EmbedPassagesAsync(["COVID-19 is caused by SARS-CoV-2.", "Hello"]);
        Assert.All(vectors, v => Assert.InRange(Vectors.Norm(v), 0.999, 1.001));
        Assert.Equal(embedder.Model.Dimensions, vectors[0].Length);
    }
}
