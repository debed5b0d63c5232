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
    /// Reads a multipart upload of up to <paramref name="maxFiles"/> files (field "files") of at most <paramref name="maxFileBytes"/>
    /// each, and its comma-separated "tags" fields.
    /// </summary>
    public static async Task<(List<IncomingFile> Files, List<string> Tags)> ReadFilesAsync(
        HttpRequest request, long maxFileBytes, int maxFiles, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType) throw new ValidationException("files", "Send the files as multipart/form-data in the field 'files'.");
        var total = maxFileBytes * maxFiles + 1024 * 1024;
        if (request.ContentLength > total)
            throw new PayloadTooLargeException($"Upload at most {maxFiles} files of {maxFileBytes / 1024 / 1024} MB each.");
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = total, ValueCountLimit = 100 }, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new ValidationException("files", "The upload could not be read: " + e.Message);
        }
        var files = new List<IncomingFile>();
        foreach (var file in form.Files)
        {
            if (file.Length > maxFileBytes) throw new PayloadTooLargeException($"'{FileTypes.SanitizeFileName(file.FileName)}' is larger than {maxFileBytes / 1024 / 1024} MB.");
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, cancellationToken);
            files.Add(new IncomingFile(file.FileName, buffer.ToArray()));
        }
        var tags = form["tags"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        return (files, tags);
    }
}
