using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Chat;

/// <summary>
/// Answers in a session: authorize, check the session's clock, rewrite a follow-up, retrieve the clone's passages within a
/// token budget, compose the persona prompt, stream the responder's answer as frames to the session's group (and to an
/// optional sink), then store the exchange and its usage event once, under the client's message key.
/// </summary>
public sealed partial class AnswerService(
    ISessionStore sessions,
    QuestionAdmission admission,
    AnswerComposer composer,
    IResponder responder,
    ExchangeRecorder recorder,
    AnswerFrames frames,
    IOptions<ChatSettings> options,
    ILogger<AnswerService> logger,
    SessionCharges? charges = null,
    IAnswerStyleSource? styles = null,
    IEnumerable<IExchangeObserver>? observers = null,
    IPromptMemory? memory = null)
{
    private const string Failed = "The answer could not be completed. Please try again.";

    private ChatSettings Settings => options.Value;

    /// <summary>
    /// Answers one message. A retry with the same <paramref name="clientMessageId"/> streams and returns the stored answer again
    /// and records nothing new.
    /// </summary>
    public async Task<SessionMessage> SendAsync(
        Caller caller, string sessionId, string? content, string? clientMessageId, FrameSink? sink = null, CancellationToken cancellationToken = default)
    {
        var v = new Validator();
        v.Require("content", content, Settings.MaxMessageChars);
        if (string.IsNullOrWhiteSpace(clientMessageId)) v.Add("clientMessageId", "Send a key for this message (for example a UUID), so that a retry is answered once.");
        else if (!MessageKey().IsMatch(clientMessageId)) v.Add("clientMessageId", "Use 1 to 100 letters, digits, '-', '_', ':' or '.'.");
        v.ThrowIfInvalid();
        var question = content!.Trim();

        var session = await sessions.ReadableAsync(caller, sessionId, cancellationToken);
        if (session.UserId != caller.UserId) throw new ForbiddenException("Only the session's user can ask in it.");
        var messageId = AnswerId(session.Id, clientMessageId!);

        var stored = await sessions.FindAnswerAsync(session.Id, clientMessageId!, cancellationToken);
        if (stored is not null)
        {
            await frames.ReplayAsync(session, stored, sink, cancellationToken);
            return stored;
        }

        Clone clone;
        try
        {
            (session, clone) = await admission.AdmitAsync(caller, session, cancellationToken);
        }
        catch (OutOfCreditException e)
        {
            // The session has ended: the stream (and the session's group) learn why, with a code the client acts on.
            await frames.Open(session.Id, messageId, sink, cancellationToken).ErrorAsync(e.Message, OutOfCreditException.Code);
            throw;
        }

        using var activity = Telemetry.Source.StartActivity("chat.answer");
        activity?.SetTag("cloneai.session_id", session.Id);
        activity?.SetTag("cloneai.clone_id", clone.Id);
        var stream = frames.Open(session.Id, messageId, sink, cancellationToken);
        var progress = new AnswerProgress();
        try
        {
            var history = (await sessions.GetMessagesAsync(session.Id, cancellationToken)).TakeLast(Settings.HistoryMessages).ToList();
            // The user's communication style with this clone (issue 14, part 4): the answer's length, and the model's tone.
            var style = styles is null ? null : await styles.StyleForAsync(caller.UserId, clone.Id, cancellationToken);
            var request = await composer.ComposeAsync(clone, question, history, style, cancellationToken);
            // A model also reads what the user's memory holds that bears on the question (fenced as data, within its budget).
            if (memory is not null && responder.UsesModel && request.Sources.Count > 0)
            {
                var recalled = await memory.ForPromptAsync(session, question, cancellationToken);
                if (recalled.Length > 0) request = request with { Instructions = request.Instructions + recalled };
            }
            progress.Request = request;
            var (text, kind, reported, cited) = await RespondAsync(request, stream, progress, cancellationToken);

            var tokens = recorder.CountTokens(request, responder.UsesModel, reported, text);
            var answer = await recorder.StoreAsync(session, question, clientMessageId!, messageId, text, cited, tokens, kind, BestSimilarity(request), cancellationToken: cancellationToken);
            activity?.SetTag("cloneai.answer_kind", kind);
            activity?.SetTag("cloneai.sources", request.Sources.Count);
            Telemetry.Answers.Add(1, new KeyValuePair<string, object?>("kind", kind));
            await stream.EndAsync(answer.Session, answer.Message);
            // The message's charge, after the answer is stored (the sweep posts it if this does not).
            if (charges is not null) await charges.TrySettleSessionAsync(session.Id, cancellationToken);
            await ObserveAsync(answer.Session, question, clientMessageId!, answer.Message, cancellationToken);
            return answer.Message;
        }
        catch (AppException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            // A refusal found mid-answer (the session ended meanwhile, say) closes the stream with its reason.
            await stream.ErrorAsync(e.Message);
            throw;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && cancellationToken.IsCancellationRequested && progress.Wrote)
        {
            // The requester hung up mid-answer: what was written by then is stored and billed (once, under the message key), so a
            // hang-up never gets the answer free, and a retry with the same key gets this part instead of a new answer.
            activity?.SetStatus(ActivityStatusCode.Error, "interrupted");
            await StoreInterruptedAsync(session, question, clientMessageId!, messageId, progress, stream);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            logger.LogError(e, "Answering in session {SessionId} failed", session.Id);
            await stream.ErrorAsync(Failed);
            throw new UpstreamException(Failed);
        }
    }

    /// <summary>How long storing and billing an interrupted answer may take once its requester is gone.</summary>
    private static readonly TimeSpan InterruptedGrace = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Stores the part of an answer written before its requester hung up, with its tokens (the model's report if it came, else
    /// counted) and the message's price, then settles the charge; the session's realtime group gets its end frame. A failure is
    /// logged (the requester is gone; the retry with the same key answers anew).
    /// </summary>
    private async Task StoreInterruptedAsync(ChatSession session, string question, string clientMessageId, string messageId, AnswerProgress progress, AnswerStream stream)
    {
        using var grace = new CancellationTokenSource(InterruptedGrace);
        try
        {
            var request = progress.Request!;
            var numbering = progress.Numbering!;
            numbering.Flush();
            var text = numbering.Text.Trim();
            if (text.Length == 0) return; // only marks so far: nothing readable was written
            // An extractive answer that quoted nothing was saying the "I don't know" message.
            var kind = progress.Quotes is { Count: 0 } ? AnswerKinds.DontKnow : responder.AnswerKind;
            var cited = kind == AnswerKinds.DontKnow ? [] : Citations.Final(numbering, request.Sources, progress.Quotes);
            var tokens = recorder.CountTokens(request, responder.UsesModel, progress.Reported, text);
            var answer = await recorder.StoreAsync(session, question, clientMessageId, messageId, text, cited, tokens, kind, BestSimilarity(request),
                interrupted: true, cancellationToken: grace.Token);
            logger.LogInformation("The requester hung up mid-answer in session {SessionId}: {Chars} characters stored and billed", session.Id, answer.Message.Content.Length);
            Telemetry.Answers.Add(1, new KeyValuePair<string, object?>("kind", "interrupted"));
            await stream.EndInterruptedAsync(answer.Session, answer.Message);
            if (charges is not null) await charges.TrySettleSessionAsync(session.Id, grace.Token);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The interrupted answer in session {SessionId} could not be stored", session.Id);
        }
    }

    /// <summary>How far an answer got: what a hang-up stores.</summary>
    private sealed class AnswerProgress
    {
        public ResponderRequest? Request { get; set; }
        public CitationNumbering? Numbering { get; set; }
        public IReadOnlyList<SourceQuote>? Quotes { get; set; }
        public ResponderUsage? Reported { get; set; }

        /// <summary>Whether the responder has written anything yet.</summary>
        public bool Wrote => Request is not null && Numbering is not null && Numbering.Raw.Trim().Length > 0;
    }

    /// <summary>Tells the observers (memory extraction) of the stored exchange; their failure is logged, never the answer's.</summary>
    private async Task ObserveAsync(ChatSession session, string question, string clientMessageId, SessionMessage answer, CancellationToken cancellationToken)
    {
        if (observers is null) return;
        var asked = new SessionMessage
        {
            Id = answer.Id + "-q", SessionId = session.Id, Role = MessageRoles.User, Content = question, ClientMessageId = clientMessageId, CreatedAt = answer.CreatedAt,
        };
        foreach (var observer in observers)
        {
            try
            {
                await observer.OnExchangeStoredAsync(session, asked, answer, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "An exchange observer ({Observer}) failed in session {SessionId}", observer.GetType().Name, session.Id);
            }
        }
    }

    /// <summary>The best similarity of the passages the answer was made from (none without sources or similarities).</summary>
    private static double? BestSimilarity(ResponderRequest request) =>
        request.Sources.Where(s => s.Similarity is not null).Select(s => s.Similarity).Max();

    /// <summary>The id of the answer to a client's message: the same on every retry.</summary>
    public static string AnswerId(string sessionId, string clientMessageId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId + "\n" + clientMessageId)))[..32];

    /// <summary>
    /// Streams the answer: the "I don't know" message when there are no sources (or the responder wrote nothing, or said just
    /// that), else the responder's words as they come, their source marks renumbered by document (<see cref="CitationNumbering"/>).
    /// The start frame carries the final citations when they are known before the first word (an extractive answer reports what it
    /// quotes with its first word), else none; the end frame always carries them.
    /// </summary>
    private async Task<(string Text, string Kind, ResponderUsage? Reported, List<Citation> Cited)> RespondAsync(
        ResponderRequest request, AnswerStream stream, AnswerProgress progress, CancellationToken cancellationToken)
    {
        if (request.Sources.Count == 0)
        {
            await stream.StartAsync([], AnswerKinds.DontKnow);
            await stream.DeltaAsync(request.DontKnow);
            return (request.DontKnow, AnswerKinds.DontKnow, null, []);
        }
        var numbering = new CitationNumbering(request.Sources);
        progress.Numbering = numbering;
        ResponderUsage? reported = null;
        IReadOnlyList<SourceQuote>? quotes = null;
        await using var updates = responder.RespondAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var next = responder.UsesModel ? (bool?)null : await updates.MoveNextAsync();
        if (next == true && updates.Current.Quotes is { } reportedQuotes)
        {
            // Known before the first word: the final citations go out with the start frame.
            // No quotes: nothing cleared the relevance floor, and the words to come are the "I don't know" message.
            quotes = reportedQuotes;
            progress.Quotes = quotes;
            await stream.StartAsync(Citations.Final(Numbered(request, updates.Current.Quotes), request.Sources, quotes),
                quotes.Count == 0 ? AnswerKinds.DontKnow : responder.AnswerKind);
        }
        else
        {
            await stream.StartAsync([], responder.AnswerKind);
        }
        while (next ?? await updates.MoveNextAsync())
        {
            next = null;
            var update = updates.Current;
            if (update.Usage is not null) progress.Reported = reported = update.Usage;
            if (string.IsNullOrEmpty(update.Text)) continue;
            var ready = numbering.Push(update.Text);
            if (ready.Length > 0) await stream.DeltaAsync(ready);
        }
        var rest = numbering.Flush();
        if (rest.Length > 0) await stream.DeltaAsync(rest);
        var text = numbering.Text.Trim();
        if (text.Length == 0)
        {
            text = request.DontKnow;
            await stream.DeltaAsync(text);
        }
        var kind = text == request.DontKnow ? AnswerKinds.DontKnow : responder.AnswerKind;
        var cited = kind == AnswerKinds.DontKnow ? [] : Citations.Final(numbering, request.Sources, quotes);
        return (text, kind, reported, cited);
    }

    /// <summary>The numbering an extractive answer will have: its quotes' sources in answer order.</summary>
    private static CitationNumbering Numbered(ResponderRequest request, IReadOnlyList<SourceQuote> quotes)
    {
        var numbering = new CitationNumbering(request.Sources);
        numbering.Push(string.Concat(quotes.Select(q => "[" + q.N.ToString(System.Globalization.CultureInfo.InvariantCulture) + "] ")));
        numbering.Flush();
        return numbering;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_\-:.]{1,100}$")]
    private static partial Regex MessageKey();
}
