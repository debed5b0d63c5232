namespace CloneAI.Azure.Email;

/// <summary>
/// Azure Communication Services Email. Section <c>CommunicationEmail</c>. Without <see cref="Endpoint"/> the Functions host
/// registers no email sender and sends no email (session receipts are skipped).
/// </summary>
public sealed class AcsEmailOptions
{
    public const string Section = "CommunicationEmail";

    /// <summary>The Communication Services endpoint, e.g. <c>https://acs-x.unitedstates.communication.azure.com</c>; the app signs in with its identity.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The MailFrom address of a domain linked to the resource, e.g. <c>DoNotReply@&lt;id&gt;.azurecomm.net</c>.</summary>
    public string? Sender { get; set; }

    /// <summary>Attempts of one send when the service throttles (429) or fails (5xx); the operation id makes retries safe.</summary>
    public int MaxAttempts { get; set; } = 3;
}
