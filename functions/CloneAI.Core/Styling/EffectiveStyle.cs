using System.Text.RegularExpressions;
using CloneAI.Core.Chat;
using CloneAI.Core.Domain;
using CloneAI.Core.Memory;
using CloneAI.Core.Users;

namespace CloneAI.Core.Styling;

/// <summary>
/// The style a user's answers from a clone get, part by part (length, tone): the user's setting for that clone, else their
/// profile's, else what their remembered preferences for that clone say ("I prefer short answers" → concise), else none (the
/// persona's). Memory is not read when the user turned it off for the clone. The per-clone settings and memory are optional:
/// without their stores those steps are skipped.
/// </summary>
public sealed partial class EffectiveStyle(IUserStore users, IClonePreferenceStore? preferences = null, IMemoryStore? memories = null) : IAnswerStyleSource
{
    public async Task<CommunicationStyle?> StyleForAsync(string userId, string cloneId, CancellationToken cancellationToken = default)
    {
        var perClone = preferences is null ? null : await preferences.GetAsync(userId, cloneId, cancellationToken);
        var profile = (await users.GetAsync(userId, cancellationToken))?.Style;
        var length = perClone?.Style?.Length ?? profile?.Length;
        var tone = perClone?.Style?.Tone ?? profile?.Tone;
        if ((length is null || tone is null) && memories is not null && perClone?.MemoryEnabled != false)
        {
            var inferred = Infer((await memories.ListAsync(userId, cloneId, cancellationToken))
                .Where(m => m.Kind == MemoryKinds.Preference).Select(m => m.Text));
            length ??= inferred?.Length;
            tone ??= inferred?.Tone;
        }
        return length is null && tone is null ? null : new CommunicationStyle { Length = length, Tone = tone };
    }

    /// <summary>
    /// The style that preferences in the user's words state, the latest one winning: "short", "brief", "concise" → concise;
    /// "detailed", "in depth", "thorough" → detailed; "formal" / "casual" → that tone. Null when none says anything about it.
    /// </summary>
    public static CommunicationStyle? Infer(IEnumerable<string> preferences)
    {
        string? length = null, tone = null;
        foreach (var text in preferences)
        {
            if (Detailed().IsMatch(text)) length = CommunicationStyle.Detailed;
            else if (Concise().IsMatch(text)) length = CommunicationStyle.Concise;
            if (Formal().IsMatch(text)) tone = CommunicationStyle.Formal;
            else if (Casual().IsMatch(text)) tone = CommunicationStyle.Casual;
        }
        return length is null && tone is null ? null : new CommunicationStyle { Length = length, Tone = tone };
    }

    [GeneratedRegex(@"\b(short(er)?|brief(ly)?|concise(ly)?|succinct|to the point|quick answers?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Concise();

    [GeneratedRegex(@"\b(detailed|in[- ]depth|thorough(ly)?|long(er)? answers?|more detail)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Detailed();

    [GeneratedRegex(@"\b(formal(ly)?|professional)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Formal();

    [GeneratedRegex(@"\b(casual(ly)?|informal(ly)?|relaxed|laid[- ]back)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Casual();
}
