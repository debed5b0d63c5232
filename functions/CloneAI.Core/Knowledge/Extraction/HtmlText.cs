using System.Text;
using HtmlAgilityPack;

namespace CloneAI.Core.Knowledge;

/// <summary>
/// Readable text of an HTML page with HtmlAgilityPack: page chrome and code dropped, &lt;main&gt;/&lt;article&gt; preferred,
/// blocks separated by blank lines, h1–h6 recorded as headings, entities decoded.
/// </summary>
internal static class HtmlText
{
    /// <summary>Deepest element nesting accepted (deeper pages are machine-made or hostile).</summary>
    public const int MaxNesting = 1_000;

    private static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "nav", "header", "footer", "aside", "noscript", "template", "svg", "form",
        "head", "iframe", "object", "embed", "canvas", "button", "select", "textarea", "dialog", "math", "map",
    };

    private static readonly HashSet<string> Paragraphs = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "article", "blockquote", "body", "caption", "center", "details", "div", "dl", "fieldset", "figcaption",
        "figure", "hr", "html", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "ul",
    };

    private static readonly HashSet<string> Lines = new(StringComparer.OrdinalIgnoreCase) { "li", "dt", "dd", "tr", "br" };

    public static ExtractedText Extract(string html)
    {
        var document = new HtmlDocument { OptionMaxNestedChildNodes = MaxNesting };
        try
        {
            document.LoadHtml(html);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ExtractionException($"The HTML page cannot be read; its elements are nested more than {MaxNesting} deep or it is malformed.");
        }

        var writer = new Writer();
        var roots = ContentRoots(document.DocumentNode);
        foreach (var root in roots)
        {
            writer.Walk(root, insideContent: root.Name is "main" or "article");
            writer.Request(Writer.Break.Paragraph);
        }

        var title = DocumentTitle.Meaningful(FindTitle(document.DocumentNode)) ?? writer.Headings.FirstOrDefault(h => h.Level == 1)?.Text;
        return new ExtractedText(writer.Text.ToString(), [], writer.Headings, title);
    }

    /// <summary>The first &lt;main&gt;; else the outermost &lt;article&gt;s; else &lt;body&gt; or the whole document.</summary>
    private static List<HtmlNode> ContentRoots(HtmlNode document)
    {
        HtmlNode? body = null;
        var articles = new List<HtmlNode>();
        var stack = new Stack<HtmlNode>();
        stack.Push(document);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node.NodeType != HtmlNodeType.Element && node.NodeType != HtmlNodeType.Document) continue;
            if (node.NodeType == HtmlNodeType.Element)
            {
                if (Dropped.Contains(node.Name)) continue;
                if (node.Name == "main") return [node];
                if (node.Name == "body") body ??= node;
                if (node.Name == "article")
                {
                    articles.Add(node);
                    continue;
                }
            }
            for (var i = node.ChildNodes.Count - 1; i >= 0; i--) stack.Push(node.ChildNodes[i]);
        }
        return articles.Count > 0 ? articles : [body ?? document];
    }

    private static string? FindTitle(HtmlNode document)
    {
        var stack = new Stack<HtmlNode>();
        stack.Push(document);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node.NodeType == HtmlNodeType.Element && node.Name == "title")
            {
                var title = DocumentText.CollapseWhitespace(HtmlEntity.DeEntitize(node.InnerText) ?? "");
                return title.Length > 0 ? title : null;
            }
            if (node.NodeType == HtmlNodeType.Element && node.Name == "body") continue;
            for (var i = node.ChildNodes.Count - 1; i >= 0; i--) stack.Push(node.ChildNodes[i]);
        }
        return null;
    }

    private sealed class Writer
    {
        public enum Break { None, Space, Cell, Line, Paragraph }

        private Break _pending;
        private int _pre;
        private int _headingStart = -1;
        private int _headingLevel;
        private HtmlNode? _heading;

        public StringBuilder Text { get; } = new();
        public List<HeadingSpan> Headings { get; } = [];

        public void Request(Break b)
        {
            if (b > _pending) _pending = b;
        }

        /// <summary>Iterative walk (no recursion, so hostile nesting cannot exhaust the stack).</summary>
        public void Walk(HtmlNode root, bool insideContent)
        {
            var stack = new Stack<(HtmlNode Node, bool Exit, bool InContent)>();
            stack.Push((root, false, insideContent));
            while (stack.Count > 0)
            {
                var (node, exit, inContent) = stack.Pop();
                if (exit)
                {
                    Leave(node);
                    continue;
                }
                switch (node.NodeType)
                {
                    case HtmlNodeType.Text:
                        Write(HtmlEntity.DeEntitize(((HtmlTextNode)node).Text) ?? "");
                        continue;
                    case HtmlNodeType.Element:
                        if (IsDropped(node, inContent)) continue;
                        Enter(node);
                        stack.Push((node, true, inContent));
                        inContent |= node.Name is "main" or "article";
                        break;
                    case HtmlNodeType.Document:
                        break;
                    default:
                        continue;
                }
                for (var i = node.ChildNodes.Count - 1; i >= 0; i--) stack.Push((node.ChildNodes[i], false, inContent));
                if (Text.Length > DocumentExtractor.MaxTextChars) throw new ExtractionException(DocumentExtractor.TooLong);
            }
        }

        /// <summary>Page chrome, code and hidden content are dropped; an article's own &lt;header&gt; (its title) is kept.</summary>
        private static bool IsDropped(HtmlNode node, bool inContent)
        {
            if (node.Attributes.Contains("hidden")) return true;
            if (string.Equals(node.GetAttributeValue("aria-hidden", ""), "true", StringComparison.OrdinalIgnoreCase)) return true;
            if (node.Name == "header" && inContent) return false;
            return Dropped.Contains(node.Name);
        }

        private void Enter(HtmlNode node)
        {
            var name = node.Name;
            if (HeadingLevel(name) is { } level)
            {
                Request(Break.Paragraph);
                if (_heading is null)
                {
                    _heading = node;
                    _headingLevel = level;
                    _headingStart = -1;
                }
                return;
            }
            if (name is "td" or "th")
            {
                Request(Break.Cell);
                return;
            }
            if (name == "pre") _pre++;
            if (Paragraphs.Contains(name)) Request(Break.Paragraph);
            else if (Lines.Contains(name)) Request(Break.Line);
        }

        private void Leave(HtmlNode node)
        {
            var name = node.Name;
            if (ReferenceEquals(node, _heading))
            {
                if (_headingStart >= 0)
                {
                    var text = DocumentText.CollapseWhitespace(Text.ToString(_headingStart, Text.Length - _headingStart));
                    if (text.Length > 0) Headings.Add(new HeadingSpan(_headingStart, _headingLevel, text));
                }
                _heading = null;
                Request(Break.Paragraph);
                return;
            }
            if (name == "pre") _pre--;
            if (Paragraphs.Contains(name) || HeadingLevel(name) is not null) Request(Break.Paragraph);
            else if (Lines.Contains(name)) Request(Break.Line);
        }

        private void Write(string text)
        {
            foreach (var raw in text)
            {
                var c = raw == '\u00A0' ? ' ' : raw;
                if (_pre > 0 && c == '\n')
                {
                    Request(Break.Line);
                    continue;
                }
                if (char.IsWhiteSpace(c) && _pre == 0)
                {
                    Request(Break.Space);
                    continue;
                }
                if (c == '\r' || (char.IsControl(c) && c != '\t')) continue;
                Flush();
                Text.Append(c);
            }
        }

        private void Flush()
        {
            if (Text.Length > 0)
            {
                switch (_pending)
                {
                    case Break.Space:
                        Text.Append(' ');
                        break;
                    case Break.Cell:
                        Text.Append(" | ");
                        break;
                    case Break.Line:
                        TrimEnd();
                        Text.Append('\n');
                        break;
                    case Break.Paragraph:
                        TrimEnd();
                        Text.Append("\n\n");
                        break;
                }
            }
            _pending = Break.None;
            if (_heading is not null && _headingStart < 0) _headingStart = Text.Length;
        }

        private void TrimEnd()
        {
            var n = Text.Length;
            while (n > 0 && Text[n - 1] is ' ' or '\t') n--;
            Text.Length = n;
        }

        private static int? HeadingLevel(string name) =>
            name.Length == 2 && name[0] is 'h' or 'H' && name[1] is >= '1' and <= '6' ? name[1] - '0' : null;
    }
}
