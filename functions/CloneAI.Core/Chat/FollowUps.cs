using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace CloneAI.Core.Chat;

/// <summary>
/// Turns a follow-up ("and how long does it last?") into a stand-alone question for retrieval. With a language model it asks the
/// model; offline (or when the model fails) it adds the previous question's content words when the new one leans on it: a
/// pronoun that points back, or fewer than three content words of its own.
/// </summary>
public static partial class FollowUps
{
    private static readonly HashSet<string> PointingBack = new(StringComparer.OrdinalIgnoreCase)
    {
        "it", "its", "they", "them", "their", "this", "that", "these", "those", "he", "she", "him", "her", "his", "there", "such", "same",
    };

    public static bool LeansOnHistory(string question)
    {
        var words = Words().Matches(question).Select(m => m.Value).ToList();
        return words.Any(PointingBack.Contains) || ExtractiveResponder.Terms(question).Distinct(StringComparer.Ordinal).Count() < 3;
    }

    /// <summary>The offline rewrite: the question, then the previous question's content words it does not already have.</summary>
    public static string Heuristic(string question, IReadOnlyList<string> previousQuestions)
    {
        if (previousQuestions.Count == 0 || !LeansOnHistory(question)) return question;
        var own = ExtractiveResponder.Terms(question).ToHashSet(StringComparer.Ordinal);
        var previous = previousQuestions[^1];
        var added = Words().Matches(previous).Select(m => m.Value)
            .Where(w => ExtractiveResponder.Terms(w).Any(t => !own.Contains(t)))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return added.Count == 0 ? question : question.TrimEnd() + " (" + string.Join(' ', added) + ")";
    }

    /// <summary>Asks the model for a stand-alone question; falls back to <see cref="Heuristic"/> on any failure or an empty reply.</summary>
    public static async Task<string> WithModelAsync(IChatClient chat, string question, IReadOnlyList<(string Role, string Text)> history, CancellationToken cancellationToken)
    {
        var previousQuestions = history.Where(h => h.Role == MessageRoles.User).Select(h => h.Text).ToList();
        if (history.Count == 0 || !LeansOnHistory(question)) return question;
        var transcript = string.Join('\n', history.Select(h => $"{h.Role}: {h.Text}"));
        try
        {
            var response = await chat.GetResponseAsync(
                [
                    new ChatMessage(ChatRole.System, "Rewrite the user's last question as one stand-alone question that can be understood without the conversation. Reply with the question only."),
                    new ChatMessage(ChatRole.User, $"Conversation:\n{transcript}\n\nLast question: {question}"),
                ],
                new ChatOptions { Temperature = 0, MaxOutputTokens = 100 }, cancellationToken);
            var text = response.Text.Trim().Trim('"');
            return text.Length is > 0 and < 500 ? text : Heuristic(question, previousQuestions);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Heuristic(question, previousQuestions);
        }
    }

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex Words();
}
