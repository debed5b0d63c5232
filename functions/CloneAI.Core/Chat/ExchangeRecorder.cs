using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.ML.Tokenizers;

namespace CloneAI.Core.Chat;

/// <summary>
/// Stores a question and its answer once: both messages, the message's usage event and the session's new totals, under the
/// client's message key. A concurrent retry's stored answer wins; a message stored meanwhile is counted before this one.
/// </summary>
public sealed class ExchangeRecorder(ISessionStore sessions, Tokenizer tokenizer, TimeProvider time)
{
    /// <summary>The tokens the model reported, or else those of the prompt the responder read and of the answer, counted here.</summary>
    public TokenUsage CountTokens(ResponderRequest request, bool model, ResponderUsage? reported, string answer) => new(
        (int?)reported?.InputTokens ?? request.PromptTexts(model).Sum(t => tokenizer.CountTokens(t)),
        (int?)reported?.OutputTokens ?? tokenizer.CountTokens(answer));

    public async Task<(ChatSession Session, SessionMessage Message)> StoreAsync(
        ChatSession session, string question, string clientMessageId, string messageId, string text, List<Citation> cited, TokenUsage tokens, string kind,
        double? bestSimilarity = null, bool interrupted = false, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNow();
            var number = session.MessageCount + 1;
            var price = SessionBilling.MessagePrice(session, number);
            var updated = session with
            {
                MessageCount = number,
                InputTokens = session.InputTokens + tokens.InputTokens,
                OutputTokens = session.OutputTokens + tokens.OutputTokens,
                MessageCost = session.MessageCost + price,
                // The first question starts the clock (already started when the wallet paid its first minute).
                ClockStartedAt = session.ClockStartedAt ?? now,
                LastActivityAt = now,
            };
            var userMessage = new SessionMessage
            {
                Id = messageId + "-q", SessionId = session.Id, Role = MessageRoles.User, Content = question, ClientMessageId = clientMessageId, CreatedAt = now,
            };
            var answer = new SessionMessage
            {
                Id = messageId, SessionId = session.Id, Role = MessageRoles.Assistant, Content = text, ClientMessageId = clientMessageId,
                Citations = cited, Usage = tokens, Cost = new Money(price, session.Pricing.Currency), AnswerKind = kind, BestSimilarity = bestSimilarity,
                Interrupted = interrupted, CreatedAt = now,
            };
            var usage = new UsageEvent
            {
                Id = $"{session.Id}:message:{clientMessageId}", SessionId = session.Id, UserId = session.UserId, CloneId = session.CloneId,
                OwnerId = session.OwnerId, Kind = UsageKinds.Message, Quantity = 1, Amount = price, Currency = session.Pricing.Currency,
                InputTokens = tokens.InputTokens, OutputTokens = tokens.OutputTokens, CreatedAt = now,
            };
            try
            {
                if (await sessions.AddExchangeAsync(updated, userMessage, answer, usage, cancellationToken))
                    return ((await sessions.GetAsync(session.Id, cancellationToken))!, answer);
                // The same message was answered by a concurrent retry: that stored answer is the answer.
                var existing = await sessions.FindAnswerAsync(session.Id, clientMessageId, cancellationToken)
                    ?? throw new ConflictException("The message is being answered by another request. Retry shortly.");
                return ((await sessions.GetAsync(session.Id, cancellationToken))!, existing);
            }
            catch (ConflictException) when (attempt < 4)
            {
                // Another message of this session was stored meanwhile: count this one after it.
                session = await sessions.GetAsync(session.Id, cancellationToken) ?? throw new NotFoundException("The session no longer exists.");
                if (!session.IsActive) throw new ConflictException("This session has ended.");
            }
        }
    }
}
