using CloneAI.Core.Domain;

namespace CloneAI.Core.Insights;

/// <summary>
/// What a creator sees of one clone, or of all their clones, over a period of whole UTC days (<see cref="From"/> to
/// <see cref="To"/>, both included, <c>yyyy-MM-dd</c>): aggregates only, never a conversation (no session, no user, no
/// answer). Amounts are in the platform currency; <see cref="DashboardDay.Net"/> is the creator's share. The owner's previews
/// are left out everywhere.
/// </summary>
public sealed record Dashboard(
    string From,
    string To,
    string Currency,
    DashboardTotals Totals,
    IReadOnlyList<DashboardClone> Clones,
    IReadOnlyList<DashboardDay> Days,
    IReadOnlyList<RatingCount> Ratings,
    IReadOnlyList<DashboardComment> RecentComments,
    QuestionInsights Questions,
    IReadOnlyList<DocumentCitations> Documents);

public sealed record DashboardTotals(int Sessions, int Messages, double Minutes, Money Gross, Money Net, double? AverageRating, int RatingCount);

/// <summary>One clone's part of the period (the per-clone breakdown of the all-clones dashboard).</summary>
public sealed record DashboardClone(
    string CloneId, string Name, string Slug, int Sessions, int Messages, double Minutes, Money Gross, Money Net, double? AverageRating, int RatingCount);

/// <summary>
/// One UTC day: the sessions started that day and their minutes (of those that ended), and the revenue recorded that day:
/// <see cref="Gross"/> what users were charged, <see cref="Net"/> the creator's share of it.
/// </summary>
public sealed record DashboardDay(string Date, int Sessions, double Minutes, Money Gross, Money Net);

public sealed record RatingCount(int Stars, int Count);

/// <summary>A rating's comment: its words, stars and day. Who wrote it is not shown.</summary>
public sealed record DashboardComment(string CloneName, int Stars, string Comment, DateTimeOffset Date);

/// <summary>
/// The period's questions (the latest <see cref="Analysed"/>; <see cref="Truncated"/> when more were asked), grouped by meaning
/// (<see cref="GroupedBy"/> <c>meaning</c>; <c>wording</c> when the embedding model could not be reached), and the knowledge
/// gaps: questions answered "I don't know" or from a weak passage, grouped the same way.
/// </summary>
public sealed record QuestionInsights(int Analysed, bool Truncated, string GroupedBy, IReadOnlyList<QuestionGroup> Top, IReadOnlyList<QuestionGroup> Gaps);

/// <summary>
/// Questions that ask the same thing: <see cref="Question"/> its most asked wording, <see cref="Example"/> the latest one
/// asked, <see cref="Count"/> how often, <see cref="Wordings"/> in how many distinct wordings, <see cref="CloneIds"/> of which
/// clones.
/// </summary>
public sealed record QuestionGroup(string Question, string Example, int Count, int Wordings, DateTimeOffset LastAsked, IReadOnlyList<string> CloneIds)
{
    public bool Equals(QuestionGroup? other) =>
        other is not null && Question == other.Question && Example == other.Example && Count == other.Count && Wordings == other.Wordings
        && LastAsked == other.LastAsked && CloneIds.SequenceEqual(other.CloneIds);

    public override int GetHashCode() => HashCode.Combine(Question, Example, Count, Wordings, LastAsked);
}

/// <summary>A knowledge document and how many of the period's answers cited it (zero: never cited).</summary>
public sealed record DocumentCitations(string CloneId, string DocumentId, string Title, string FileName, string Status, int Citations);

public static class GroupingMethods
{
    public const string Meaning = "meaning";
    public const string Wording = "wording";
}
