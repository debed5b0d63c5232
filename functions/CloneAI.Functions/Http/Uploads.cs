using CloneAI.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace CloneAI.Functions.Http;

/// <summary>Reads one uploaded file: multipart/form-data field "file", or the raw body. The client's file name is never used.</summary>
public static class Uploads
{
    public static async Task<byte[]> ReadSingleFileAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var slack = 64 * 1024;
        if (request.ContentLength > maxBytes + slack) throw new PayloadTooLargeException($"Files can be at most {maxBytes / 1024 / 1024} MB.");
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { MultipartBodyLengthLimit = maxBytes + slack }, cancellationToken);
            }
            catch (InvalidDataException)
            {
                throw new PayloadTooLargeException($"Files can be at most {maxBytes / 1024 / 1024} MB.");
            }
            var file = form.Files.GetFile("file") ?? throw new ValidationException("file", "Attach the image as the form field 'file'.");
            if (file.Length > maxBytes) throw new PayloadTooLargeException($"Files can be at most {maxBytes / 1024 / 1024} MB.");
            using var target = new MemoryStream((int)file.Length);
            await file.CopyToAsync(target, cancellationToken);
            return target.ToArray();
        }
        try
        {
            return await RequestBody.ReadBytesAsync(request, maxBytes, cancellationToken);
        }
        catch (PayloadTooLargeException)
        {
            throw new PayloadTooLargeException($"Files can be at most {maxBytes / 1024 / 1024} MB.");
        }
    }
}
