namespace CloneAI.Core.Chat;

/// <summary>
/// Told when a session has ended (by its user, after an idle spell, at its maximum length, or out of credit), once, by the call
/// that ended it. The summaries part implements it to start writing the session's summary; when it answers true it has taken
/// over the session's receipt (it sends it after the summary, with its highlights), else <see cref="SessionLifecycle"/> sends
/// the receipt at once. An observer never throws for its own failures.
/// </summary>
public interface ISessionEndObserver
{
    Task<bool> SessionEndedAsync(ChatSession ended, CancellationToken cancellationToken = default);
}
