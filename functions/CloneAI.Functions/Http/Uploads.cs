using CloneAI.Core.Errors;
using CloneAI.Core.Knowledge;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CloneAI.Functions.Http;

/// <summary>Reads one uploaded file: multipart/form-data field "file", or the raw body. The client's file name is never used.</summary>
public static class Uploads
{
    public static async Task<byte[]> ReadSingleFileAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var slack = 64 * 1024;
        if (request.ContentLength > maxBytes + slack) throw new PayloadTooLargeException($"Files can be at most {maxBytes / 1024 / 1024} MB.");
        RefuseOverHostLimit(request);
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

    /// <summary>
    /// A request that declares more than the host will read (Kestrel's limit locally; the server's in the Functions worker) is a
    /// 413 before any of it is read, rather than an error in the middle of reading it.
    /// </summary>
    public static void RefuseOverHostLimit(HttpRequest request)
    {
        var limit = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (limit is not null && request.ContentLength > limit)
            throw new PayloadTooLargeException($"The request is larger than this server accepts ({limit / 1024 / 1024} MB).");
    }

    /// <summary>
    /// Reads a multipart upload of up to <paramref name="maxFiles"/> files (field "files") of at most <paramref name="maxFileBytes"/>
    /// each, and its comma-separated "tags" fields.
    /// </summary>
    public static async Task<(List<IncomingFile> Files, List<string> Tags)> ReadFilesAsync(
        HttpRequest request, long maxFileBytes, int maxFiles, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType) throw new ValidationException("files", "Send the files as multipart/form-data in the field 'files'.");
        var tooLarge = $"Upload at most {maxFiles} files of {maxFileBytes / 1024 / 1024} MB each.";
        var total = maxFileBytes * maxFiles + 1024 * 1024;
        if (request.ContentLength > total) throw new PayloadTooLargeException(tooLarge);
        RefuseOverHostLimit(request);
        IFormCollection form;
        try
        {
            // The multipart body limit is per part: a part longer than a file may be stops the reading there.
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = maxFileBytes + 64 * 1024, ValueCountLimit = 100 }, cancellationToken);
        }
        catch (InvalidDataException e) when (e.Message.Contains("body length limit", StringComparison.OrdinalIgnoreCase))
        {
            throw new PayloadTooLargeException($"A file is larger than {maxFileBytes / 1024 / 1024} MB.");
        }
        catch (InvalidDataException e)
        {
            throw new ValidationException("files", "The upload could not be read: " + e.Message);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The host's limit for a whole request, found while reading a body that did not declare its length.
            throw new PayloadTooLargeException(tooLarge);
        }
        // A part that declares a length over the limit is refused whatever it holds, before anything is kept.
        foreach (var file in form.Files)
            if (file.Headers.ContentLength > maxFileBytes || file.Length > maxFileBytes)
                throw new PayloadTooLargeException($"'{FileTypes.SanitizeFileName(file.FileName)}' is larger than {maxFileBytes / 1024 / 1024} MB.");
        var files = new List<IncomingFile>();
        foreach (var file in form.Files)
        {
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, cancellationToken);
            files.Add(new IncomingFile(file.FileName, buffer.ToArray()));
        }
        var tags = form["tags"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        return (files, tags);
    }
}
