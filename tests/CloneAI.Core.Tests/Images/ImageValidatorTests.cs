using CloneAI.Core.Errors;
using CloneAI.Core.Images;
using SkiaSharp;

namespace CloneAI.Core.Tests.Images;

public sealed class ImageValidatorTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, "png")]
    [InlineData(SKEncodedImageFormat.Jpeg, "jpeg")]
    [InlineData(SKEncodedImageFormat.Webp, "webp")]
    public void ARealImageIsAcceptedAndReEncodedAsPng(SKEncodedImageFormat format, string sniffed)
    {
        var data = TestImages.Make(120, 90, format);
        Assert.Equal(sniffed, ImageValidator.SniffFormat(data));

        var image = ImageValidator.Validate(data);

        Assert.Equal(PngSignature, image.Png[..8]);
        Assert.Equal((120, 90), (image.Width, image.Height));
        using var decoded = SKBitmap.Decode(image.Png);
        Assert.Equal((120, 90), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void ALargeImageIsScaledDownToFiveHundredTwelvePixelsKeepingItsShape()
    {
        var image = ImageValidator.Validate(TestImages.Make(1600, 1200, SKEncodedImageFormat.Jpeg));

        Assert.Equal((512, 384), (image.Width, image.Height));
        using var decoded = SKBitmap.Decode(image.Png);
        Assert.Equal((512, 384), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void TextDisguisedAsAPngIsRejected()
    {
        var e = Assert.Throws<ValidationException>(() => ImageValidator.Validate("<svg onload=alert(1)>hello.png</svg>"u8.ToArray()));

        Assert.Equal(["file"], e.Errors.Keys);
    }

    [Fact]
    public void AFileOverTwoMegabytesIsTooLargeWhateverItContains()
    {
        var data = new byte[ImageValidator.MaxBytes + 1];
        TestImages.Png().CopyTo(data, 0);

        var e = Assert.Throws<PayloadTooLargeException>(() => ImageValidator.Validate(data));

        Assert.Equal(413, e.Status);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(15, 100)]
    [InlineData(100, 15)]
    [InlineData(ImageValidator.MaxDimension + 1, 16)]
    public void AnImageOutsideTheAllowedDimensionsIsRejected(int width, int height)
    {
        var e = Assert.Throws<ValidationException>(() => ImageValidator.Validate(TestImages.Make(width, height)));

        Assert.Contains("pixels", Assert.Single(e.Errors["file"]));
    }

    [Fact]
    public void ASixteenPixelSquareIsTheSmallestImageAccepted()
    {
        Assert.Equal(16, ImageValidator.Validate(TestImages.Make(16, 16)).Width);
    }

    [Fact]
    public void APngWithATruncatedHeaderIsRejected()
    {
        var truncated = TestImages.Png()[..20]; // the signature and part of IHDR

        var e = Assert.Throws<ValidationException>(() => ImageValidator.Validate(truncated));

        Assert.Equal(["file"], e.Errors.Keys);
    }

    [Fact]
    public void ThePngSignatureFollowedByGarbageIsRejected()
    {
        var data = PngSignature.Concat(Enumerable.Repeat((byte)0x41, 200)).ToArray();

        Assert.Throws<ValidationException>(() => ImageValidator.Validate(data));
    }

    [Fact]
    public void AnEmptyFileIsRejectedUnderTheGivenFieldName()
    {
        var e = Assert.Throws<ValidationException>(() => ImageValidator.Validate([], "avatar"));

        Assert.Equal(["avatar"], e.Errors.Keys);
    }

    [Fact]
    public void AGifIsNotAnAcceptedFormat()
    {
        Assert.Null(ImageValidator.SniffFormat("GIF89a\x01\x00\x01\x00"u8));
        Assert.Throws<ValidationException>(() => ImageValidator.Validate("GIF89a\x10\x00\x10\x00 rest"u8.ToArray()));
    }
}
