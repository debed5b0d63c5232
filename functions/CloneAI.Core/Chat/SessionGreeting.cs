using CloneAI.Core.Domain;

namespace CloneAI.Core.Chat;

/// <summary>
/// The clone's greeting, the first message of every session: its persona's greeting, or a plain one made of its name and
/// tagline. It is stored with the session when it starts (whichever responder answers later), as an assistant message of
/// the kind <see cref="AnswerKinds.Greeting"/>: no citations, no cost, no tokens, and no client key, so it is never taken for
/// the answer to a question and never counted as one.
/// </summary>
public static class SessionGreeting
{
    /// <summary>The greeting's message id: one per session, so storing it again stores nothing.</summary>
    public static string MessageId(string sessionId) => sessionId + "-greeting";

    /// <summary>The persona's greeting, else "Hi, I'm {name}: {tagline}. What would you like to know?".</summary>
    public static string Text(Clone clone)
    {
        var greeting = clone.Persona.Greeting?.Trim();
        if (!string.IsNullOrEmpty(greeting)) return greeting;
        var name = OneLine(clone.Name);
        var tagline = OneLine(clone.Tagline).TrimEnd('.', '!', '?', ';', ':', ',', ' ');
        return tagline.Length == 0
            ? $"Hi, I'm {name}. What would you like to know?"
            : $"Hi, I'm {name}: {tagline}. What would you like to know?";
    }

    /// <summary>The greeting message that opens <paramref name="session"/>.</summary>
    public static SessionMessage For(ChatSession session, Clone clone) => For(session, clone, null);

    /// <summary>
    /// The greeting message that opens <paramref name="session"/>, with a returning user's <paramref name="welcomeBack"/>
    /// (see <see cref="IReturningUserGreeting"/>) before the clone's greeting when there is one.
    /// </summary>
    public static SessionMessage For(ChatSession session, Clone clone, string? welcomeBack) => new()
    {
        Id = MessageId(session.Id),
        SessionId = session.Id,
        Role = MessageRoles.Assistant,
        Content = string.IsNullOrWhiteSpace(welcomeBack) ? Text(clone) : welcomeBack.Trim() + "\n\n" + Text(clone),
        AnswerKind = AnswerKinds.Greeting,
        Cost = new Money(0, session.Pricing.Currency),
        CreatedAt = session.StartedAt,
    };

    /// <summary>Whether a stored message is a session's greeting (not an answer).</summary>
    public static bool Is(SessionMessage message) => message.AnswerKind == AnswerKinds.Greeting;

    private static string OneLine(string? text) => string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
