namespace CloneAI.Core.Summaries;

/// <summary>
/// The configured summarizer, made at its first use rather than when the host starts: choosing it may build the chat client, and
/// a host whose chat settings are incomplete must fail on its settings' own validation (which names what to set), not here.
/// </summary>
public sealed class DeferredSessionSummarizer(Func<ISessionSummarizer> create) : ISessionSummarizer
{
    private readonly Lazy<ISessionSummarizer> _summarizer = new(create);

    public Task<SessionSummary> SummarizeAsync(Chat.ChatSession session, IReadOnlyList<Chat.SessionMessage> messages, CancellationToken cancellationToken = default) =>
        _summarizer.Value.SummarizeAsync(session, messages, cancellationToken);
}
