namespace CloneAI.Core.UserData;

/// <summary>
/// One kind of a user's data that goes when their account is deleted. Every feature that stores personal data registers
/// one (DI: <c>services.AddSingleton&lt;IUserDataEraser, ...&gt;()</c>); account deletion runs them all, in
/// <see cref="Order"/>. Each must be idempotent: a deletion that crashed runs them again.
/// </summary>
public interface IUserDataEraser
{
    /// <summary>A short name for logs and tests, for example "memories".</summary>
    string Name { get; }

    /// <summary>Lower runs first. Use 100 unless something must go before or after.</summary>
    int Order => 100;

    /// <summary>
    /// Deletes the user's data of this kind. Records that must be kept (money) are pseudonymised: they name
    /// <paramref name="pseudonym"/> instead of the user's id, and hold no email, name or text the user wrote.
    /// </summary>
    Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default);
}

/// <summary>
/// One section of a user's data export (<c>POST /api/me/export</c>). Every feature that stores personal data registers one;
/// the export writes each section as <c>{Name}.json</c> (plus any files it adds) into the zip.
/// </summary>
public interface IUserDataExporter
{
    /// <summary>The section's file name without extension, for example "memories".</summary>
    string Name { get; }

    /// <summary>The section's data (serialised as JSON with the API's options), or null when the user has none.</summary>
    Task<object?> ExportAsync(string userId, CancellationToken cancellationToken = default);
}
