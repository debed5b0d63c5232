using CloneAI.Core.Domain;

namespace CloneAI.Core.Chat;

/// <summary>
/// The communication style a user's answers from a clone should have (length and tone), or null for none: then the persona's
/// answer length and tone apply. Implemented outside Chat (the profile, per-clone settings and memory live elsewhere).
/// </summary>
public interface IAnswerStyleSource
{
    Task<CommunicationStyle?> StyleForAsync(string userId, string cloneId, CancellationToken cancellationToken = default);
}
