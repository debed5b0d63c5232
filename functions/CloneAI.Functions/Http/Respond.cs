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
