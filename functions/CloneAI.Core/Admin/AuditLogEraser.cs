using CloneAI.Core.Audit;
using CloneAI.Core.UserData;

namespace CloneAI.Core.Admin;

/// <summary>
/// Account deletion keeps the audit log (what admins did, and why) but the entries that name the user, as actor or subject,
/// name the pseudonym instead and hold no email.
/// </summary>
public sealed class AuditLogEraser(IAuditLog log) : IUserDataEraser
{
    public string Name => "audit-log";

    public Task EraseAsync(string userId, string pseudonym, CancellationToken cancellationToken = default) =>
        log.PseudonymiseAsync(userId, pseudonym, cancellationToken);
}
