using CloneAI.Core.Domain;

namespace CloneAI.Core.Chat;

/// <summary>
/// Told of every exchange once it is stored (memory extraction implements it). Chat knows nothing of what observers do with
/// it; an observer's failure never fails the answer.
/// </summary>
public interface IExchangeObserver
{
    Task OnExchangeStoredAsync(ChatSession session, SessionMessage question, SessionMessage answer, CancellationToken cancellationToken = default);
}

/// <summary>
/// What a returning user is told when a new session with a clone starts ("Welcome back — last time: …; your goal: …"), put
/// before the clone's greeting; null for a first session, or when there is nothing to recall.
/// </summary>
public interface IReturningUserGreeting
{
    Task<string?> WelcomeBackAsync(ChatSession session, CancellationToken cancellationToken = default);
}

/// <summary>
/// What a model's prompt may recall about the session's user for one question: a block of text fenced as data (never
/// instructions), within a token budget; empty when there is nothing (or memory is off for the clone).
/// </summary>
public interface IPromptMemory
{
    Task<string> ForPromptAsync(ChatSession session, string question, CancellationToken cancellationToken = default);
}
