using CloneAI.Core.Accounts;
using CloneAI.Core.Auth;
using CloneAI.Core.Domain;
using CloneAI.Core.Errors;
using CloneAI.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CloneAI.Functions.Api.Auth;

/// <summary>Built-in accounts. Only the local host has them; with Entra every route here is a 404.</summary>
public sealed class AuthApi(IOptions<AuthOptions> options, IOptions<AuthThrottleOptions> throttle, ILogger<AuthApi> logger, AccountService? accounts = null)
{
    public const string SignUpMessage = "Check your inbox: we sent an email to this address. Open its link to continue.";

    [Function(nameof(SignUp))]
    [ApiDoc("Create an account and send a verification email (the same 202 when the address already has an account: its owner gets a note)",
        Tag = "Auth", Errors = [404, 429])]
    [Accepts<SignUpRequest>]
    [Returns<SignUpAccepted>(202)]
    public Task<IActionResult> SignUp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/signup")] HttpRequest req, CancellationToken cancellationToken) =>
        Run(async service =>
        {
            var body = await RequestBody.ReadAsync<SignUpRequest>(req, cancellationToken);
            await service.SignUpAsync(body.Email, body.Password, body.DisplayName, body.AcceptTerms == true, Client(req), cancellationToken);
            return new ObjectResult(new SignUpAccepted(EmailAddress.Normalize(body.Email!), SignUpMessage)) { StatusCode = 202 };
        });

    [Function(nameof(VerifyEmail))]
    [ApiDoc("Confirm an email address with the token from the verification email", Tag = "Auth", Errors = [404])]
    [Accepts<VerifyEmailRequest>]
    [Returns<EmailVerified>]
    public Task<IActionResult> VerifyEmail(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/verify")] HttpRequest req, CancellationToken cancellationToken) =>
        Run(async service =>
        {
            var body = await RequestBody.ReadAsync<VerifyEmailRequest>(req, cancellationToken);
            var user = await service.VerifyEmailAsync(body.Token, cancellationToken);
            return new OkObjectResult(new EmailVerified(true, user.Email));
        });

    [Function(nameof(ResendVerification))]
    [ApiDoc("Send the verification email again", Tag = "Auth", Errors = [404, 429])]
    [Accepts<EmailRequest>]
    [ReturnsEmpty(202, "Sent, if the address has an unverified account")]
    public Task<IActionResult> ResendVerification(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/verify/resend")] HttpRequest req, CancellationToken cancellationToken) =>
        Run(async service =>
        {
            var body = await RequestBody.ReadAsync<EmailRequest>(req, cancellationToken);
            await service.ResendVerificationAsync(body.Email, Client(req), cancellationToken);
            return new AcceptedResult();
        });

    [Function(nameof(Login))]
    [ApiDoc("Sign in; returns an access token and a rotating refresh token. After a few failures each further attempt must wait (429 with Retry-After)",
        Tag = "Auth", Errors = [401, 403, 404, 429])]
    [Accepts<LoginRequest>]
    [Returns<TokenPair>]
    public Task<IActionResult> Login(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/login")] HttpRequest req, CancellationToken cancellationToken) =>
        Run(async service =>
        {
            var body = await RequestBody.ReadAsync<LoginRequest>(req, cancellationToken);
            return new OkObjectResult(await service.LoginAsync(body.Email, body.Password, Client(req), cancellationToken));
        });

    [Function(nameof(Refresh))]
    [ApiDoc("Trade a refresh token for a new pair; the old one is spent", Tag = "Auth", Errors = [401, 404])]
    [Accepts<RefreshTokenRequest>]
    [Returns<TokenPair>]
    public Task<IActionResult> Refresh(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/refresh")] HttpRequest req, CancellationToken cancellationToken) =>
        Run(async service =>
        {
            var body = await RequestBody.ReadAsync<RefreshTokenRequest>(req, cancellationToken);
            return new OkObjectResult(await service.RefreshAsync(body.RefreshToken, cancellationToken));
        });

    [Function(nameof(Logout))]
    [ApiDoc("Revoke the refresh token and every token rotated from the same login; access tokens issued so far stop working", Tag = "Auth", Errors = [404])]
    [Accepts<RefreshTokenRequest>]
    [ReturnsEmpty(204, "Signed out")]
    public Task<IActionResult> Logout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/logout")] HttpRequest req, CancellationToken cancellationToken) =>
        Run(async service =>
        {
            var body = await RequestBody.ReadAsync<RefreshTokenRequest>(req, cancellationToken);
            await service.LogoutAsync(body.RefreshToken, cancellationToken);
            return new NoContentResult();
        });

    [Function(nameof(ForgotPassword))]
    [ApiDoc("Email a single-use password reset link (always 202, at once; the email follows)", Tag = "Auth", Errors = [404, 429])]
    [Accepts<EmailRequest>]
    [ReturnsEmpty(202, "Sent, if the address has an account")]
    public Task<IActionResult> ForgotPassword(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/password/forgot")] HttpRequest req, CancellationToken cancellationToken) =>
        Run(async service =>
        {
            var body = await RequestBody.ReadAsync<EmailRequest>(req, cancellationToken);
            await service.ForgotPasswordAsync(body.Email, Client(req), cancellationToken);
            return new AcceptedResult();
        });

    [Function(nameof(ResetPassword))]
    [ApiDoc("Set a new password with the token from the reset email", Tag = "Auth", Errors = [404])]
    [Accepts<ResetPasswordRequest>]
    [ReturnsEmpty(204, "The password is changed")]
    public Task<IActionResult> ResetPassword(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/password/reset")] HttpRequest req, CancellationToken cancellationToken) =>
        Run(async service =>
        {
            var body = await RequestBody.ReadAsync<ResetPasswordRequest>(req, cancellationToken);
            await service.ResetPasswordAsync(body.Token, body.Password, cancellationToken);
            return new NoContentResult();
        });

    private string Client(HttpRequest req) => RequestClient.Address(req, throttle.Value.TrustForwardedFor);

    private Task<IActionResult> Run(Func<AccountService, Task<IActionResult>> body) =>
        Respond.Run(logger, () => accounts is not null && options.Value.IsLocal
            ? body(accounts)
            : throw new NotFoundException("Built-in accounts are off: this deployment signs in with Microsoft Entra."));
}
