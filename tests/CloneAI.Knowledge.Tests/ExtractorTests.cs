using System.Text;
using CloneAI.Core.Knowledge;

namespace CloneAI.Knowledge.Tests;

public sealed class ExtractorTests
{
    private readonly DocumentExtractor _extractor = new();

    [Fact]
    public void APdfIsExtractedPageByPageWithExactPageSpans()
    {
        var pdf = TestDocuments.Pdf(
            ["Page one starts here.", "It has a second line."],
            ["Page two is different.", "The end of the document."]);

        var result = _extractor.Extract(pdf, DocumentKinds.Pdf);

        Assert.Equal(2, result.Pages.Count);
        var (one, two) = (result.Pages[0], result.Pages[1]);
        Assert.Equal((1, 0), (one.Page, one.Start));
        Assert.Equal(2, two.Page);
        Assert.Equal(result.Text.Length, two.End);
        Assert.Equal("\n\n", result.Text[one.End..two.Start]);
        var pageOne = result.Text[one.Start..one.End];
        var pageTwo = result.Text[two.Start..two.End];
        Assert.Contains("Page one starts here.", pageOne);
        Assert.Contains("It has a second line.", pageOne);
        Assert.DoesNotContain("Page two", pageOne);
        Assert.Contains("Page two is different.", pageTwo);
        Assert.Contains("The end of the document.", pageTwo);
        Assert.Equal(2, result.PageAt(result.Text.IndexOf("Page two", StringComparison.Ordinal)));
        Assert.Equal(1, result.PageAt(result.Text.IndexOf("second line", StringComparison.Ordinal)));
        Assert.Empty(result.Headings);
    }

    [Fact]
    public void ADocxKeepsParagraphsHeadingsAndTablesInOrder()
    {
        var docx = TestDocuments.Docx(
        [
            new("Annual Report", "Title"),
            new("This report covers the year."),
            new("Revenue", "Heading1"),
            new("Revenue grew by 12 percent."),
            new("By region", "Heading2"),
            new("Europe led the growth."),
            new("Costs", "Heading1"),
            new("Costs were flat."),
        ], table: [["Region", "Revenue"], ["Europe", "40"], ["Asia", "35"]]);

        var result = _extractor.Extract(docx, DocumentKinds.Docx);

        Assert.Equal("Annual Report", result.Title);
        Assert.Equal(
            [(1, "Annual Report"), (1, "Revenue"), (2, "By region"), (1, "Costs")],
            result.Headings.Select(h => (h.Level, h.Text)));
        foreach (var h in result.Headings) Assert.Equal(h.Text, result.Text.Substring(h.Start, h.Text.Length));
        Assert.StartsWith("Annual Report\n\nThis report covers the year.\n\nRevenue\n\n", result.Text);
        Assert.Contains("Region | Revenue\nEurope | 40\nAsia | 35", result.Text);
        Assert.True(result.Text.IndexOf("Costs were flat.", StringComparison.Ordinal) < result.Text.IndexOf("Region | Revenue", StringComparison.Ordinal));
        Assert.Empty(result.Pages);
    }

    [Fact]
    public void ADocxTitleComesFromCorePropertiesFirst()
    {
        var docx = TestDocuments.Docx([new("Body heading", "Heading1"), new("Text.")], coreTitle: "The Real Title");
        Assert.Equal("The Real Title", _extractor.Extract(docx, DocumentKinds.Docx).Title);
    }

    [Fact]
    public void DocxHeadingsAreFoundByOutlineLevelOfCustomStylesAndParagraphs()
    {
        var docx = TestDocuments.Docx([new("Part One", "Custom"), new("Body text here.")], extra: body =>
            body.Append(new DocumentFormat.OpenXml.Wordprocessing.Paragraph(
                new DocumentFormat.OpenXml.Wordprocessing.ParagraphProperties(new DocumentFormat.OpenXml.Wordprocessing.OutlineLevel { Val = 2 }),
                new DocumentFormat.OpenXml.Wordprocessing.Run(new DocumentFormat.OpenXml.Wordprocessing.Text("Deep point")))));

        var result = _extractor.Extract(docx, DocumentKinds.Docx);

        Assert.Equal([(1, "Part One"), (3, "Deep point")], result.Headings.Select(h => (h.Level, h.Text)));
        Assert.Equal("Part One", result.Title);
    }

    [Fact]
    public void HtmlDropsScriptsStylesAndNavigationAndFindsHeadings()
    {
        const string html = """
            <!DOCTYPE html>
            <html><head><title>Travel &amp; Tips</title><style>body { color: red }</style>
            <script>var secret = "do not index";</script></head>
            <body>
              <nav><a href="/">Home</a> <a href="/about">About us</a></nav>
              <header><p>Site banner</p></header>
              <h1>Packing light</h1>
              <p>Take <b>only</b> what you need &mdash; really.</p>
              <noscript>Enable JavaScript</noscript>
              <h2>Shoes</h2>
              <p>Two pairs are enough.<br>One for walking.</p>
              <ul><li>Sandals</li><li>Sneakers</li></ul>
              <aside>Sponsored content</aside>
              <form><input name="q"><button>Search</button></form>
              <svg><text>vector text</text></svg>
              <footer>Copyright 2024</footer>
            </body></html>
            """;

        var result = _extractor.Extract(Encoding.UTF8.GetBytes(html), DocumentKinds.Html);

        Assert.Equal("Travel & Tips", result.Title);
        Assert.Equal("Packing light\n\nTake only what you need — really.\n\nShoes\n\nTwo pairs are enough.\nOne for walking.\n\nSandals\nSneakers", result.Text);
        Assert.Equal([(1, "Packing light"), (2, "Shoes")], result.Headings.Select(h => (h.Level, h.Text)));
        foreach (var h in result.Headings) Assert.Equal(h.Text, result.Text.Substring(h.Start, h.Text.Length));
        foreach (var dropped in new[] { "secret", "color", "Home", "About us", "banner", "JavaScript", "Sponsored", "Search", "vector", "Copyright" })
            Assert.DoesNotContain(dropped, result.Text);
    }

    [Fact]
    public void HtmlPrefersTheMainElementAndKeepsAnArticleHeader()
    {
        const string html = """
            <html><body><div class="menu">Menu entries</div>
            <main><article><header><h1>The story</h1></header><p>It happened on a Tuesday.</p></article></main>
            <div>Unrelated footer links</div></body></html>
            """;

        var result = _extractor.Extract(Encoding.UTF8.GetBytes(html), DocumentKinds.Html);

        Assert.Equal("The story\n\nIt happened on a Tuesday.", result.Text);
        Assert.Equal("The story", result.Title);
    }

    [Fact]
    public void HtmlTablesBecomeRowsOfCells()
    {
        var html = "<table><tr><th>Name</th><th>Age</th></tr><tr><td>Ann</td><td>31</td></tr></table>";
        Assert.Equal("Name | Age\nAnn | 31", _extractor.Extract(Encoding.UTF8.GetBytes(html), DocumentKinds.Html).Text);
    }

    [Fact]
    public void TxtIsUnchangedExceptTheBom()
    {
        const string text = "Line one.\r\n\r\n  Indented line\twith tab.\nÜmlauts and emoji 🎉 stay.\n";
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(text)).ToArray();

        var result = _extractor.Extract(bytes, DocumentKinds.Txt);

        Assert.Equal(text, result.Text);
        Assert.Empty(result.Pages);
        Assert.Empty(result.Headings);
        Assert.Null(result.Title);
    }

    [Fact]
    public void Utf16TextWithABomIsDecoded()
    {
        const string text = "Grüße aus Köln.";
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray();
        Assert.Equal(DocumentKinds.Txt, FileTypes.Detect(bytes, "greeting.txt"));
        Assert.Equal(text, _extractor.Extract(bytes, DocumentKinds.Txt).Text);
    }

    [Fact]
    public void MarkdownIsUnchangedAndItsHeadingOffsetsAreExact()
    {
        const string md = "# Guide\n\nIntro text.\n\n## Install ##\nRun the installer.\n\n```\n# not a heading\n```\n\nSetup\n=====\n\nDetails here.\n\nNotes\n-----\nMore.\n\n#hashtag is not a heading\n";
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(md)).ToArray();

        var result = _extractor.Extract(bytes, DocumentKinds.Md);

        Assert.Equal(md, result.Text);
        Assert.Equal("Guide", result.Title);
        Assert.Equal(
            [(0, 1, "Guide"), (md.IndexOf("## Install", StringComparison.Ordinal), 2, "Install"),
             (md.IndexOf("Setup", StringComparison.Ordinal), 1, "Setup"), (md.IndexOf("Notes", StringComparison.Ordinal), 2, "Notes")],
            result.Headings.Select(h => (h.Start, h.Level, h.Text)));
    }

    [Fact]
    public void FileTypesAcceptsEachKindWhenBytesAndExtensionAgree()
    {
        Assert.Equal(DocumentKinds.Pdf, FileTypes.Detect(TestDocuments.Pdf(["x"]), "a.PDF"));
        Assert.Equal(DocumentKinds.Docx, FileTypes.Detect(TestDocuments.Docx([new("x")]), "a.docx"));
        Assert.Equal(DocumentKinds.Txt, FileTypes.Detect("hello"u8, "a.txt"));
        Assert.Equal(DocumentKinds.Md, FileTypes.Detect("# hi"u8, "a.md"));
        Assert.Equal(DocumentKinds.Md, FileTypes.Detect("# hi"u8, "a.markdown"));
        Assert.Equal(DocumentKinds.Html, FileTypes.Detect("<p>hi</p>"u8, "a.htm"));
        Assert.Equal(DocumentKinds.Html, FileTypes.Detect("<p>hi</p>"u8, "dir/a.html"));
    }

    [Theory]
    [InlineData("notes.exe")]
    [InlineData("notes")]
    [InlineData("notes.doc")]
    [InlineData("archive.zip")]
    public void UnsupportedExtensionsAreRefused(string name)
    {
        var e = Assert.Throws<ExtractionException>(() => FileTypes.Detect("hello"u8, name));
        Assert.Contains(".pdf", e.Message);
    }

    [Fact]
    public void DetectForUploadThrowsAValidationException()
    {
        var e = Assert.Throws<CloneAI.Core.Errors.ValidationException>(() => FileTypes.DetectForUpload([], "a.txt", "files[0]"));
        Assert.Contains("empty", e.Errors["files[0]"][0]);
    }
}
