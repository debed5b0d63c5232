using System.Runtime.CompilerServices;
using CloneAI.Core.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Moq;

namespace CloneAI.Core.Tests.Chat;

/// <summary>The model responder over a mocked <see cref="IChatClient"/>.</summary>
public sealed class ModelResponderTests
{
    private static SessionMessage M(string role, string content) => new() { Id = content, SessionId = "s1", Role = role, Content = content };

    private static async IAsyncEnumerable<ChatResponseUpdate> Updates(IEnumerable<ChatResponseUpdate> updates, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var u in updates)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return u;
        }
    }

    [Fact]
    public async Task TheModelReadsThePersonaTheHistoryAndTheQuestionAsAskedAndItsUsageComesBack()
    {
        var chat = new Mock<IChatClient>();
        List<ChatMessage>? sent = null;
        ChatOptions? options = null;
        chat.Setup(c => c.GetStreamingResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), It.IsAny<CancellationToken>()))
            .Callback((IEnumerable<ChatMessage> m, ChatOptions? o, CancellationToken _) => (sent, options) = (m.ToList(), o))
            .Returns(() => Updates(
            [
                new ChatResponseUpdate(ChatRole.Assistant, "Neap "),
                new ChatResponseUpdate(ChatRole.Assistant, "tides [1]."),
                new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 321, OutputTokenCount = 4 })] },
            ]));
        var responder = new ModelResponder(chat.Object, Options.Create(new ChatSettings { Model = "llama3" }));
        var request = new ResponderRequest("You are Tides. Sources: [1] …", [M(MessageRoles.User, "What are neap tides?"), M(MessageRoles.Assistant, "Small tides [1].")],
            "And when?", "And when? (neap tides)", [new ChatSource(1, "d1", "f.txt", "T", "Neap tides…", 0, 10, null, 1)], "medium", "No idea.");

        var updates = new List<ResponderUpdate>();
        await foreach (var u in responder.RespondAsync(request)) updates.Add(u);

        Assert.True(responder.UsesModel);
        Assert.Equal(AnswerKinds.Model, responder.AnswerKind);
        Assert.Equal("Neap tides [1].", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(new ResponderUsage(321, 4), updates.Last(u => u.Usage is not null).Usage);
        Assert.NotNull(sent);
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User], sent.Select(m => m.Role));
        Assert.Equal(["You are Tides. Sources: [1] …", "What are neap tides?", "Small tides [1].", "And when?"], sent.Select(m => m.Text));
        Assert.Equal("llama3", options!.ModelId);
        Assert.Null(options.AdditionalProperties);
    }

    [Fact]
    public async Task AFollowUpIsRewrittenByTheModel()
    {
        var chat = new Mock<IChatClient>();
        chat.Setup(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ChatResponse(new ChatMessage(ChatRole.Assistant, "When do neap tides happen?")));
        var responder = new ModelResponder(chat.Object, Options.Create(new ChatSettings()));

        var rewritten = await responder.RewriteFollowUpAsync("And when do they happen?", [M(MessageRoles.User, "What are neap tides?"), M(MessageRoles.Assistant, "Small tides.")]);

        Assert.Equal("When do neap tides happen?", rewritten);
    }

    [Fact]
    public async Task TheExtractiveResponderRewritesWithoutAModel()
    {
        var responder = new ExtractiveResponder(TimeSpan.Zero);
        Assert.False(responder.UsesModel);
        Assert.Equal(AnswerKinds.Extractive, responder.AnswerKind);
        Assert.Equal("And when do they happen? (neap tides)",
            await responder.RewriteFollowUpAsync("And when do they happen?", [M(MessageRoles.User, "What are neap tides?"), M(MessageRoles.Assistant, "Small tides.")]));
    }
}
