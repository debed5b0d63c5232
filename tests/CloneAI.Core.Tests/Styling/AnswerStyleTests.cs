using CloneAI.Core.Chat;
using CloneAI.Core.Domain;
using CloneAI.Core.Knowledge;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace CloneAI.Core.Tests.Styling;

/// <summary>
/// The user's communication style in the answer: the extractive responder's length, and what the model's prompt says (through
/// a recording chat client), for the same question.
/// </summary>
public sealed class AnswerStyleTests
{
    private static readonly Tokenizer Tokens = TiktokenTokenizer.CreateForModel("text-embedding-3-small");

    private const string Passage =
        "Tides rise and fall because the Moon pulls on the oceans of the Earth. " +
        "Tides rise highest at spring tides, when the Sun and the Moon pull in a line. " +
        "Tides fall least at neap tides, when the Sun and the Moon pull at right angles. " +
        "Spring tides and neap tides each come round twice a month with the Moon's phases. " +
        "Tides rise and fall about twice a day on most coasts of the world. " +
        "Tides rise far higher in some narrow bays than they do on open coasts.";

    private static readonly Clone Ada = new()
    {
        Id = "c1", Slug = "ada", OwnerId = "o1", Name = "Ada Lumen", Tagline = "Tides and the sea", Category = "science",
        Persona = new Persona { Tone = "friendly", AnswerLength = "medium", Greeting = "Hello! Ask me about tides." },
    };

    private static readonly CommunicationStyle Concise = new() { Length = CommunicationStyle.Concise, Tone = CommunicationStyle.Casual };
    private static readonly CommunicationStyle Detailed = new() { Length = CommunicationStyle.Detailed, Tone = CommunicationStyle.Formal };

    private static ResponderRequest Ask(string question, CommunicationStyle? style) =>
        new("Ignored.", [], question, question, [new ChatSource(1, "d1", "tides.md", "Tides", Passage, 0, Passage.Length, null, 1)], "medium", "No idea.")
        { Style = style };

    private static int Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    [Fact]
    public void AConciseUsersExtractiveAnswerIsMeasurablyShorterThanADetailedUsersForTheSameQuestion()
    {
        const string question = "Why do the tides rise and fall, and what makes spring tides and neap tides?";
        var concise = ExtractiveResponder.Compose(Ask(question, Concise));
        var none = ExtractiveResponder.Compose(Ask(question, null));
        var detailed = ExtractiveResponder.Compose(Ask(question, Detailed));

        Assert.Single(concise.Quoted);
        Assert.True(detailed.Quoted.Count > none.Quoted.Count, $"detailed {detailed.Quoted.Count} vs none {none.Quoted.Count} sentences: {detailed.Text} / {none.Text}");
        Assert.True(none.Quoted.Count > concise.Quoted.Count);
        Assert.True(Words(detailed.Text) >= 2 * Words(concise.Text), $"concise: {concise.Text}\ndetailed: {detailed.Text}");
    }

    [Fact]
    public void TheUsersLengthOverridesThePersonasAndNoStyleKeepsIt()
    {
        Assert.Equal(1, ExtractiveResponder.SentencesFor("long", CommunicationStyle.Concise));
        Assert.Equal(6, ExtractiveResponder.SentencesFor("short", CommunicationStyle.Detailed));
        Assert.Equal(ExtractiveResponder.SentencesFor("short"), ExtractiveResponder.SentencesFor("short", null));
    }

    [Fact]
    public void ThePromptStatesTheUsersLengthAndToneAfterThePersonasAndNoStyleLeavesItAsItWas()
    {
        var plain = PersonaPrompt.Compose(Ada, []);
        Assert.Equal(plain, PersonaPrompt.Compose(Ada, [], null));
        Assert.DoesNotContain("This user asked", plain, StringComparison.Ordinal);

        var formal = PersonaPrompt.Compose(Ada, [], Detailed);
        Assert.Contains("This user asked for answers that are " + PersonaPrompt.UserLengthGuide("detailed"), formal, StringComparison.Ordinal);
        Assert.Contains("This user asked for a tone that is " + PersonaPrompt.UserToneGuide("formal"), formal, StringComparison.Ordinal);
        Assert.True(formal.IndexOf("This user asked", StringComparison.Ordinal) > formal.IndexOf("Answer length:", StringComparison.Ordinal));

        var toneOnly = PersonaPrompt.Compose(Ada, [], new CommunicationStyle { Tone = CommunicationStyle.Casual });
        Assert.Contains(PersonaPrompt.UserToneGuide("casual"), toneOnly, StringComparison.Ordinal);
        Assert.DoesNotContain("This user asked for answers", toneOnly, StringComparison.Ordinal);
    }

    /// <summary>A chat model that records what it is sent and streams a fixed answer.</summary>
    private sealed class RecordingChat : IChatClient
    {
        public List<List<ChatMessage>> Sent { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Only answers are asked for here.");

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Sent.Add(messages.ToList());
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "The Moon pulls the oceans [1].");
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private static (AnswerComposer Composer, IResponder Responder) Compose(IResponder? responder, IOptions<ChatSettings> options)
    {
        var index = new Mock<IKnowledgeIndex>();
        var embedder = new Mock<IKnowledgeEmbedder>();
        embedder.SetupGet(e => e.Model).Returns(new EmbeddingModelInfo("test-model", 3));
        embedder.Setup(e => e.EmbedQueryAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync([1f, 0f, 0f]);
        index.Setup(i => i.SearchAsync(It.IsAny<KnowledgeQuery>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new KnowledgeHit("k1", "d1", "tides.md", "Tides", Passage, 0, Passage.Length, null, "", 1.0, 0.8)]);
        responder ??= new ExtractiveResponder(TimeSpan.Zero);
        return (new AnswerComposer(new SourceRetriever(index.Object, embedder.Object, Tokens, options), responder, options), responder);
    }

    [Fact]
    public async Task TheModelIsToldTheUsersLengthAndTone()
    {
        var chat = new RecordingChat();
        var options = Options.Create(new ChatSettings { Provider = ChatProviders.OpenAI, Model = "m" });
        var (composer, responder) = Compose(new ModelResponder(chat, options), options);

        foreach (var style in new[] { Concise, Detailed })
        {
            var request = await composer.ComposeAsync(Ada, "Why do tides happen?", [], style);
            await foreach (var _ in responder.RespondAsync(request)) { }
        }

        Assert.Equal(2, chat.Sent.Count);
        var concisePrompt = chat.Sent[0][0];
        Assert.Equal(ChatRole.System, concisePrompt.Role);
        Assert.Contains(PersonaPrompt.UserLengthGuide("concise"), concisePrompt.Text, StringComparison.Ordinal);
        Assert.Contains(PersonaPrompt.UserToneGuide("casual"), concisePrompt.Text, StringComparison.Ordinal);
        var detailedPrompt = chat.Sent[1][0].Text;
        Assert.Contains(PersonaPrompt.UserLengthGuide("detailed"), detailedPrompt, StringComparison.Ordinal);
        Assert.Contains(PersonaPrompt.UserToneGuide("formal"), detailedPrompt, StringComparison.Ordinal);
        Assert.DoesNotContain(PersonaPrompt.UserLengthGuide("concise"), detailedPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheComposedRequestCarriesTheStyleAndAConciseExtractiveAnswerSkipsTheFramingLine()
    {
        var options = Options.Create(new ChatSettings { Provider = ChatProviders.Extractive });
        var (composer, _) = Compose(null, options);

        var concise = await composer.ComposeAsync(Ada, "Why do tides happen?", [], Concise);
        var plain = await composer.ComposeAsync(Ada, "Why do tides happen?", []);

        Assert.Equal(Concise, concise.Style);
        Assert.Null(concise.Framing);
        Assert.Null(plain.Style);
        Assert.NotNull(plain.Framing);
    }
}
