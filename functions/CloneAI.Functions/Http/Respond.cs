using CloneAI.Core.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace CloneAI.Functions.Http;

/// <summary>Runs a function body and turns application errors into problem+json, in both hosts alike.</summary>
public static class Respond
{
    public static async Task<IActionResult> Run(ILogger logger, Func<Task<IActionResult>> body)
    {
        try
        {
            return await body();
        }
        catch (AppException e)
        {
            return Problems.From(e);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e)
        {
            // The server refused the request's body while it was read (too large, too slow, malformed): the client's fault, with
            // the server's status, never a 500.
            return e.StatusCode == 413
                ? Problems.From(new PayloadTooLargeException("The request is larger than this server accepts."))
                : Problems.Create(e.StatusCode is >= 400 and < 500 ? e.StatusCode : 400, "Bad request", "The request's body could not be read.");
        }
        catch (OperationCanceledException)
        {
            return Problems.Create(499, "Cancelled", "The request was cancelled.");
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unhandled error");
            return Problems.Internal();
        }
    }
}
