using System.ComponentModel.DataAnnotations;

namespace CloneAI.Functions.Api.Auth;

public sealed record SignUpRequest([Required] string? Email, [Required] string? Password, [Required] string? DisplayName);

public sealed record VerifyEmailRequest([Required] string? Token);

/// <summary>An address to send an email to (verification again, or a password reset link).</summary>
public sealed record EmailRequest([Required] string? Email);

public sealed record LoginRequest([Required] string? Email, [Required] string? Password);

public sealed record RefreshTokenRequest([Required] string? RefreshToken);

public sealed record ResetPasswordRequest([Required] string? Token, [Required] string? Password);

/// <summary>The new account; it signs in once its email address is verified.</summary>
public sealed record SignedUp(string Id, string Email, string DisplayName, bool EmailVerified);

public sealed record EmailVerified(bool Verified, string Email);
