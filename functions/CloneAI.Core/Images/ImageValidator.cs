using CloneAI.Core.Errors;
using SkiaSharp;

namespace CloneAI.Core.Images;

public sealed record ValidatedImage(byte[] Png, int Width, int Height);

/// <summary>Accepts PNG, JPEG or WebP judged by their bytes, checks the size and dimensions, and re-encodes to PNG.</summary>
public static class ImageValidator
{
    public const int MaxBytes = 2 * 1024 * 1024;
    public const int MaxDimension = 4096;
    public const int MinDimension = 16;
    public const int OutputSize = 512;

    public static string? SniffFormat(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 8 && data[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })) return "png";
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return "jpeg";
        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8)) return "webp";
        return null;
    }

    public static ValidatedImage Validate(byte[] data, string field = "file")
    {
        if (data.Length == 0) throw new ValidationException(field, "The file is empty.");
        if (data.Length > MaxBytes) throw new PayloadTooLargeException($"Images can be at most {MaxBytes / 1024 / 1024} MB.");
        if (SniffFormat(data) is null) throw new ValidationException(field, "Upload a PNG, JPEG or WebP image.");

        using var codec = SKCodec.Create(new SKMemoryStream(data));
        if (codec is null) throw new ValidationException(field, "The image could not be read.");
        var info = codec.Info;
        if (info.Width < MinDimension || info.Height < MinDimension || info.Width > MaxDimension || info.Height > MaxDimension)
            throw new ValidationException(field, $"Images must be between {MinDimension} and {MaxDimension} pixels on each side.");

        using var bitmap = SKBitmap.Decode(codec);
        if (bitmap is null) throw new ValidationException(field, "The image could not be decoded.");

        var scale = Math.Min(1.0, (double)OutputSize / Math.Max(bitmap.Width, bitmap.Height));
        var width = Math.Max(1, (int)Math.Round(bitmap.Width * scale));
        var height = Math.Max(1, (int)Math.Round(bitmap.Height * scale));
        using var resized = scale < 1.0 ? bitmap.Resize(new SKImageInfo(width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)) : null;
        var final = resized ?? bitmap;
        using var image = SKImage.FromBitmap(final);
        using var encoded = image.Encode(SKEncodedImageFormat.Png, 100);
        return new ValidatedImage(encoded.ToArray(), final.Width, final.Height);
    }
}
