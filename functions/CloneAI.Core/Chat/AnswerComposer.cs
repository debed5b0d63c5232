using CloneAI.Core.Domain;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Chat;

/// <summary>
/// Everything a responder needs for one question: the follow-up made stand-alone (by the model only when one answers and
/// <see cref="ChatSettings.RewriteWithModel"/> is on), the clone's passages for it, and the persona prompt around them.
/// </summary>
public sealed class AnswerComposer(SourceRetriever retriever, IResponder responder, IOptions<ChatSettings> options)
{
    public async Task<ResponderRequest> ComposeAsync(Clone clone, string question, IReadOnlyList<SessionMessage> history, CancellationToken cancellationToken = default)
    {
        var standalone = !responder.UsesModel || !options.Value.RewriteWithModel
            ? FollowUps.Heuristic(question, history.Where(h => h.Role == MessageRoles.User).Select(h => h.Content).ToList())
            : await responder.RewriteFollowUpAsync(question, history, cancellationToken);
        var sources = await retriever.RetrieveAsync(clone.Id, standalone, cancellationToken);
        return new ResponderRequest(PersonaPrompt.Compose(clone, sources), history, question, standalone, sources,
            clone.Persona.AnswerLength, PersonaPrompt.DontKnowMessage(clone));
    }
}
