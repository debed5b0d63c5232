using System.ComponentModel.DataAnnotations;

namespace CloneAI.Functions.Api.Auth;

/// <summary>A new account; <c>acceptTerms</c> must be true (the terms and privacy notice of <c>/terms</c> and <c>/privacy</c>).</summary>
public sealed record SignUpRequest([Required] string? Email, [Required] string? Password, [Required] string? DisplayName, bool? AcceptTerms = null);

public sealed record VerifyEmailRequest([Required] string? Token);

/// <summary>An address to send an email to (verification again, or a password reset link).</summary>
public sealed record EmailRequest([Required] string? Email);

public sealed record LoginRequest([Required] string? Email, [Required] string? Password);

public sealed record RefreshTokenRequest([Required] string? RefreshToken);

public sealed record ResetPasswordRequest([Required] string? Token, [Required] string? Password);

/// <summary>
/// The sign-up was taken: an email is on its way to the address (a verification link for a new account; for an address that
/// already has one, a note to its owner). The answer is the same either way.
/// </summary>
public sealed record SignUpAccepted(string Email, string Message);

public sealed record EmailVerified(bool Verified, string Email);
