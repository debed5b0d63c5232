using CloneAI.Core.Domain;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Chat;

/// <summary>
/// Everything a responder needs for one question. A question about one of the clone's topics to avoid is declined before
/// anything is retrieved or asked of a model: the request has no sources and the refusal as its "I don't know" message, which
/// is what the answer service then says. Otherwise the question is retrieved as asked; only when it leans on the conversation
/// and that retrieval is weak is it rewritten (by the model when one answers and <see cref="ChatSettings.RewriteWithModel"/> is
/// on, else offline) and retrieved again. The persona prompt goes around the sources, and the first extractive answer of a
/// session gets the clone's framing line (once: repeated before every answer it would only be filler).
/// </summary>
public sealed class AnswerComposer(SourceRetriever retriever, IResponder responder, IOptions<ChatSettings> options)
{
    public Task<ResponderRequest> ComposeAsync(Clone clone, string question, IReadOnlyList<SessionMessage> history, CancellationToken cancellationToken = default) =>
        ComposeAsync(clone, question, history, null, cancellationToken);

    /// <summary>The request, with the user's communication style (null: none) in it and stated in the persona prompt.</summary>
    public async Task<ResponderRequest> ComposeAsync(Clone clone, string question, IReadOnlyList<SessionMessage> history, CommunicationStyle? style, CancellationToken cancellationToken = default)
    {
        if (TopicGuard.Avoided(clone.Persona.TopicsToAvoid, question) is { } avoided) return Declined(clone, question, question, history, avoided) with { Style = style };

        var standalone = question;
        var leans = history.Any(h => h.Role == MessageRoles.User) && FollowUps.LeansOnHistory(question);
        // "And why?" has nothing of its own to retrieve by: go straight to the rewrite.
        List<ChatSource> sources = leans && FollowUps.HasNoWordsOfItsOwn(question) ? [] : await retriever.RetrieveAsync(clone.Id, question, cancellationToken);
        if (leans && FollowUps.IsWeak(sources))
        {
            var rewritten = await RewriteAsync(question, history, cancellationToken);
            if (!string.Equals(rewritten, question, StringComparison.Ordinal))
            {
                if (TopicGuard.Avoided(clone.Persona.TopicsToAvoid, rewritten) is { } followed) return Declined(clone, question, rewritten, history, followed) with { Style = style };
                var again = await retriever.RetrieveAsync(clone.Id, rewritten, cancellationToken);
                if (again.Count > 0 || sources.Count == 0) (standalone, sources) = (rewritten, again);
            }
        }
        return new ResponderRequest(PersonaPrompt.Compose(clone, sources, style), history, question, standalone, sources,
            clone.Persona.AnswerLength, PersonaPrompt.DontKnowMessage(clone), Framing(clone, question, history, style)) { Style = style };
    }

    /// <summary>The framing line of the session's first extractive answer (the greeting is not an answer); none for a model.</summary>
    /// A user who asked for concise answers gets none: it would only lengthen them.
    private string? Framing(Clone clone, string question, IReadOnlyList<SessionMessage> history, CommunicationStyle? style) =>
        responder.UsesModel || style?.Length == CommunicationStyle.Concise || history.Any(h => h.Role == MessageRoles.Assistant && h.AnswerKind != AnswerKinds.Greeting)
            ? null
            : PersonaFraming.For(clone, question);

    private Task<string> RewriteAsync(string question, IReadOnlyList<SessionMessage> history, CancellationToken cancellationToken) =>
        responder.UsesModel && options.Value.RewriteWithModel
            ? responder.RewriteFollowUpAsync(question, history, cancellationToken)
            : Task.FromResult(FollowUps.Heuristic(question, history.Where(h => h.Role == MessageRoles.User).Select(h => h.Content).ToList()));

    /// <summary>A question the clone will not take up: no sources, the refusal said in place of "I don't know".</summary>
    private static ResponderRequest Declined(Clone clone, string question, string standalone, IReadOnlyList<SessionMessage> history, string topic) =>
        new(PersonaPrompt.Compose(clone, []), history, question, standalone, [], clone.Persona.AnswerLength, TopicGuard.Decline(clone, topic));
}
