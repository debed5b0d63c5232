namespace CloneAI.Core.Chat;

/// <summary>
/// One question for an <see cref="IResponder"/>. <see cref="Instructions"/> is the persona prompt with the sources in it (for a
/// model); <see cref="StandaloneQuestion"/> is the question rewritten without the conversation (what was retrieved for, and
/// what the extractive responder answers); <see cref="DontKnow"/> is what to say when the sources do not answer it.
/// <see cref="Framing"/>, when set, is a short line in the clone's voice that an extractive answer may open with (built from
/// the persona's fields, never a fact). <see cref="Style"/>, when set, is how the user likes to be answered: its length overrides
/// <see cref="AnswerLength"/> (the extractive responder quotes fewer or more sentences), and a model's instructions state it.
/// </summary>
public sealed record ResponderRequest(
    string Instructions,
    IReadOnlyList<SessionMessage> History,
    string Question,
    string StandaloneQuestion,
    IReadOnlyList<ChatSource> Sources,
    string AnswerLength,
    string DontKnow,
    string? Framing = null)
{
    /// <summary>The user's communication style for this clone (null: none, the persona's length and tone).</summary>
    public Domain.CommunicationStyle? Style { get; init; }

    /// <summary>The texts a responder reads: the instructions, the history, and the question as asked (a model) or stand-alone.</summary>
    public IEnumerable<string> PromptTexts(bool model) =>
        History.Select(h => h.Content).Prepend(Instructions).Append(model ? Question : StandaloneQuestion);
}

/// <summary>Tokens a model reports it used; either count may be missing.</summary>
public sealed record ResponderUsage(long? InputTokens, long? OutputTokens);

/// <summary>
/// A piece of a streamed answer (<see cref="Text"/> may be empty), and the usage the model reported with it, if any.
/// <see cref="Quotes"/>, on an extractive answer's first update: every range of a source that the answer quotes.
/// </summary>
public sealed record ResponderUpdate(string Text, ResponderUsage? Usage = null)
{
    public IReadOnlyList<SourceQuote>? Quotes { get; init; }
}

/// <summary>A quoted range <see cref="Start"/>..<see cref="End"/> of source <see cref="N"/>'s text (relative to the passage).</summary>
public sealed record SourceQuote(int N, int Start, int End);
