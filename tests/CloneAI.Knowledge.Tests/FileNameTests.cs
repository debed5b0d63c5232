using CloneAI.Core.Knowledge;

namespace CloneAI.Knowledge.Tests;

public sealed class FileNameTests
{
    [Theory]
    [InlineData("../../etc/passwd.txt", "passwd.txt")]
    [InlineData("..\\..\\win.ini", "win.ini")]
    [InlineData("C:\\Users\\ann\\Desktop\\Report 2024.pdf", "Report 2024.pdf")]
    [InlineData("con.txt", "con.txt")]
    [InlineData("\0evil.pdf", "evil.pdf")]
    [InlineData("   .md", "document.md")]
    [InlineData(".hidden.txt", "hidden.txt")]
    [InlineData("..", "document")]
    [InlineData(".", "document")]
    [InlineData("", "document")]
    [InlineData("   ", "document")]
    [InlineData("a\tb\r\n  c.docx", "a b c.docx")]
    [InlineData("what?<is>*this|\":.html", "whatisthis.html")]
    [InlineData("notes.txt.   ", "notes.txt")]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")]
    [InlineData("résumé.pdf", "résumé.pdf")]
    [InlineData("dir/", "document")]
    public void FileNamesAreSanitized(string input, string expected)
    {
        Assert.Equal(expected, FileTypes.SanitizeFileName(input));
    }

    [Fact]
    public void ANullNameBecomesDocument()
    {
        Assert.Equal("document", FileTypes.SanitizeFileName(null));
    }

    [Fact]
    public void AVeryLongNameIsCutKeepingTheExtension()
    {
        var name = FileTypes.SanitizeFileName(new string('a', 500) + ".pdf");
        Assert.Equal(FileTypes.MaxFileNameLength, name.Length);
        Assert.EndsWith("aaa.pdf", name);
    }

    [Fact]
    public void ALongNameIsNotCutInsideASurrogatePair()
    {
        var name = FileTypes.SanitizeFileName(new string('a', 115) + "🎉🎉🎉🎉🎉.txt");
        Assert.True(name.Length <= FileTypes.MaxFileNameLength);
        Assert.EndsWith(".txt", name);
        Assert.False(char.IsHighSurrogate(name[^5]));
    }

    [Fact]
    public void SanitizedNamesAreNeverDotsOrEmpty()
    {
        foreach (var input in new[] { "...", ". .", "./..", "\\\\", "/", "..\\", "\u0001\u0002" })
        {
            var name = FileTypes.SanitizeFileName(input);
            Assert.False(string.IsNullOrWhiteSpace(name));
            Assert.NotEqual(".", name);
            Assert.NotEqual("..", name);
            Assert.False(name.StartsWith('.'));
            Assert.DoesNotContain('/', name);
            Assert.DoesNotContain('\\', name);
        }
    }
}
