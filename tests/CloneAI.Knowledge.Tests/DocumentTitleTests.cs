using System.Text;
using CloneAI.Core.Knowledge;

namespace CloneAI.Knowledge.Tests;

/// <summary>Placeholder titles ("about:blank", "Untitled", "Microsoft Word - …") never become a document's title.</summary>
public sealed class DocumentTitleTests
{
    private readonly DocumentExtractor _extractor = new();

    private static readonly string[] Body =
    [
        "Observing the Night Sky",
        "",
        "Jupiter and its four largest moons are easy to see in binoculars.",
        "Saturn's rings need a small telescope.",
    ];

    [Theory]
    [InlineData("about:blank")]
    [InlineData("ABOUT:BLANK")]
    [InlineData("Untitled")]
    [InlineData("untitled document")]
    [InlineData("Document1")]
    [InlineData("  ")]
    public void APdfWithAPlaceholderTitleIsTitledByItsFirstHeading(string metadata)
    {
        var result = _extractor.Extract(TestDocuments.PdfTitled(metadata, Body), DocumentKinds.Pdf);

        Assert.Equal("Observing the Night Sky", result.Title);
        var summary = ExtractiveSummarizer.Summarize(result);
        Assert.StartsWith("Observing the Night Sky. ", summary);
        Assert.DoesNotContain("about:blank", summary, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void WordsPrefixAndTheFileExtensionAreStripped()
    {
        var result = _extractor.Extract(TestDocuments.PdfTitled("Microsoft Word - Report.docx", Body), DocumentKinds.Pdf);

        Assert.Equal("Report", result.Title);
        Assert.StartsWith("Report. ", ExtractiveSummarizer.Summarize(result));
    }

    [Fact]
    public void WordsPrefixOnAPlaceholderFallsBackToTheHeading()
    {
        var result = _extractor.Extract(TestDocuments.PdfTitled("Microsoft Word - Document1.docx", Body), DocumentKinds.Pdf);
        Assert.Equal("Observing the Night Sky", result.Title);
    }

    [Fact]
    public void ARealPdfTitleIsKept()
    {
        var result = _extractor.Extract(TestDocuments.PdfTitled("A Field Guide to Planets", Body), DocumentKinds.Pdf);
        Assert.Equal("A Field Guide to Planets", result.Title);
    }

    [Fact]
    public void APdfWhoseFirstLineIsASentenceHasNoTitleSoTheFileNameIsKept()
    {
        var pdf = TestDocuments.PdfTitled("about:blank", ["Jupiter and its four largest moons are easy to see in binoculars.", "More text."]);
        Assert.Null(_extractor.Extract(pdf, DocumentKinds.Pdf).Title);
    }

    [Fact]
    public void APlaceholderDocxTitleFallsBackToTheTitleParagraph()
    {
        var docx = TestDocuments.Docx([new("Annual Report", "Title"), new("Text.")], coreTitle: "Untitled");
        Assert.Equal("Annual Report", _extractor.Extract(docx, DocumentKinds.Docx).Title);
    }

    [Fact]
    public void APlaceholderHtmlTitleFallsBackToTheFirstHeading()
    {
        const string html = "<html><head><title>about:blank</title></head><body><h1>Packing light</h1><p>Take less.</p></body></html>";
        Assert.Equal("Packing light", _extractor.Extract(Encoding.UTF8.GetBytes(html), DocumentKinds.Html).Title);
    }

    [Theory]
    [InlineData("about:blank", true)]
    [InlineData("Untitled 3", true)]
    [InlineData("Slide 1", true)]
    [InlineData("Microsoft Word - ", true)]
    [InlineData("Moon and tides", false)]
    [InlineData("Untitled Goose Game review", false)]
    [InlineData("Documentary notes", false)]
    public void PlaceholdersAreRecognised(string title, bool placeholder)
    {
        Assert.Equal(placeholder, DocumentTitle.Meaningful(title) is null);
    }
}
