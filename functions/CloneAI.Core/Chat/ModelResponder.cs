using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Chat;

/// <summary>
/// Answers with a language model through <c>Microsoft.Extensions.AI</c>'s <see cref="IChatClient"/> (Azure OpenAI, or any
/// OpenAI-compatible endpoint): the persona prompt with its sources, the recent history, then the question as asked.
/// </summary>
public sealed class ModelResponder(IChatClient chat, IOptions<ChatSettings> options) : IResponder
{
    public bool UsesModel => true;

    public string AnswerKind => AnswerKinds.Model;

    /// <summary>The greeting that opens the session is no conversation to lean on: the first question is never rewritten.</summary>
    public Task<string> RewriteFollowUpAsync(string question, IReadOnlyList<SessionMessage> history, CancellationToken cancellationToken = default) =>
        FollowUps.WithModelAsync(chat, question, history.Where(m => !SessionGreeting.Is(m)).Select(m => (m.Role, Text: m.Content)).ToList(), cancellationToken);

    public async IAsyncEnumerable<ResponderUpdate> RespondAsync(ResponderRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, request.Instructions) };
        foreach (var h in request.History) messages.Add(new ChatMessage(h.Role == MessageRoles.User ? ChatRole.User : ChatRole.Assistant, h.Content));
        messages.Add(new ChatMessage(ChatRole.User, request.Question));
        await foreach (var update in chat.GetStreamingResponseAsync(messages, new ChatOptions { ModelId = options.Value.Model }, cancellationToken))
        {
            var usage = update.Contents.OfType<UsageContent>().LastOrDefault()?.Details;
            yield return new ResponderUpdate(update.Text, usage is null ? null : new ResponderUsage(usage.InputTokenCount, usage.OutputTokenCount));
        }
    }
}
