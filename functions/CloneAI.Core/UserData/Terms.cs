namespace CloneAI.Core.UserData;

/// <summary>
/// The terms of service and privacy notice that sign-up asks the user to accept. Change <see cref="CurrentVersion"/>
/// whenever the text of /terms or /privacy changes; each user records the version they accepted.
/// </summary>
public static class Terms
{
    public const string CurrentVersion = "2026-12-06";
}
