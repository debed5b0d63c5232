using CloneAI.Core;
using CloneAI.Core.Chat;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Tests.Chat;

/// <summary>The chat model's default depends on the endpoint: only Azure OpenAI and OpenAI's own API default to gpt-4o-mini.</summary>
public sealed class ChatSettingsTests
{
    [Theory]
    [InlineData(ChatProviders.AzureOpenAI, "https://cloneai.openai.azure.com/", "gpt-4o-mini")]
    [InlineData(ChatProviders.AzureOpenAI, null, "gpt-4o-mini")]
    [InlineData(ChatProviders.OpenAI, null, "gpt-4o-mini")]
    [InlineData(ChatProviders.OpenAI, "https://api.openai.com/v1", "gpt-4o-mini")]
    [InlineData(ChatProviders.OpenAI, "https://API.OpenAI.com/v1/", "gpt-4o-mini")]
    [InlineData(ChatProviders.OpenAI, "https://cloneai.openai.azure.com/openai/v1/", "gpt-4o-mini")]
    [InlineData(ChatProviders.OpenAI, "http://127.0.0.1:11434/v1", "")]
    [InlineData(ChatProviders.OpenAI, "http://localhost:8000/v1", "")]
    [InlineData(ChatProviders.OpenAI, "https://api.openai.com.example.net/v1", "")]
    public void TheDefaultModelFollowsTheEndpoint(string provider, string? endpoint, string model)
    {
        var settings = new ChatSettings { Provider = provider, Endpoint = endpoint };
        Assert.Equal(model, settings.Model);
        Assert.Equal(model.Length == 0, settings.LacksModel);
    }

    [Fact]
    public void AModelThatIsSetIsKeptForEveryEndpoint()
    {
        Assert.Equal("llama3.2", new ChatSettings { Provider = ChatProviders.OpenAI, Endpoint = "http://127.0.0.1:11434/v1", Model = "llama3.2" }.Model);
        Assert.Equal("my-deployment", new ChatSettings { Provider = ChatProviders.AzureOpenAI, Endpoint = "https://x.openai.azure.com/", Model = "my-deployment" }.Model);
    }

    [Fact]
    public void TheExtractiveResponderNeedsNoModel()
    {
        Assert.False(new ChatSettings { Provider = ChatProviders.Extractive, Endpoint = "http://127.0.0.1:11434/v1" }.LacksModel);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("llama3.2", false)]
    public void AnOtherEndpointWithoutAModelFailsValidationWithTheSettingToSet(string? model, bool fails)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Chat:Provider"] = ChatProviders.OpenAI,
            ["Chat:Endpoint"] = "http://127.0.0.1:11434/v1",
            ["Chat:Model"] = model,
        }).Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddCloneAICore().BuildServiceProvider();

        if (fails)
        {
            var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ChatSettings>>().Value);
            Assert.Contains("Chat__Model", e.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("llama3.2", provider.GetRequiredService<IOptions<ChatSettings>>().Value.Model);
        }
    }
}
