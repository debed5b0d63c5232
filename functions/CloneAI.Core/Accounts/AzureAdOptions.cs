namespace CloneAI.Core.Accounts;

/// <summary>
/// The Microsoft Entra (External ID) app registration whose tokens the API accepts: the section Microsoft.Identity.Web reads
/// in the Functions host. Bound here only to tell the web app where to sign in; nothing is required (the local host has none).
/// </summary>
public sealed class AzureAdOptions
{
    public const string Section = "AzureAd";

    /// <summary>The authority host, such as <c>https://contoso.ciamlogin.com/</c>.</summary>
    public string? Instance { get; set; }

    public string? TenantId { get; set; }

    /// <summary>The API's app registration, which the web app signs in to as well.</summary>
    public string? ClientId { get; set; }
}
