namespace CloneAI.Core.Chat;

/// <summary>
/// Writes the answer to one question from the sources it is given: a language model (<see cref="ModelResponder"/>), or the
/// offline <see cref="ExtractiveResponder"/> that quotes the sources.
/// </summary>
public interface IResponder
{
    /// <summary>Whether a language model writes the answers (and so could also rewrite a follow-up question).</summary>
    bool UsesModel { get; }

    /// <summary>The <see cref="AnswerKinds"/> of an answer it writes from sources.</summary>
    string AnswerKind { get; }

    /// <summary>A follow-up rewritten as a stand-alone question for retrieval, from the conversation so far.</summary>
    Task<string> RewriteFollowUpAsync(string question, IReadOnlyList<SessionMessage> history, CancellationToken cancellationToken = default);

    /// <summary>The answer as it is written, piece by piece; a model may report its token usage on the way.</summary>
    IAsyncEnumerable<ResponderUpdate> RespondAsync(ResponderRequest request, CancellationToken cancellationToken = default);
}
