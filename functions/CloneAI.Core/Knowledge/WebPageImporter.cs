using System.Net;
using System.Net.Sockets;
using CloneAI.Core.Errors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Knowledge;

public sealed record ImportedPage(string Url, string FileName, string Kind, byte[] Data);

/// <summary>
/// Fetches an http(s) page for <c>import-url</c>: at most <see cref="KnowledgeOptions.MaxImportBytes"/>, within a timeout for the
/// whole fetch, HTML or plain text only, following at most <see cref="MaxRedirects"/> redirects and only to http and https.
/// Loopback, private and link-local addresses (also inside IPv6 forms that carry an IPv4 address) are refused at connect time
/// (so DNS cannot be used to get around it) unless <see cref="KnowledgeOptions.ImportAllowPrivateNetworks"/> is on; a system
/// proxy is never used.
/// </summary>
public sealed class WebPageImporter(IHttpClientFactory httpClients, IOptions<KnowledgeOptions> options)
{
    public const string ClientName = "cloneai-import";
    public const int MaxRedirects = 5;

    /// <summary>
    /// The one answer for an address that is refused (not public) or cannot be reached (no such name, nothing listening, TLS
    /// failure): the same words either way, so the error never tells which internal names exist or where they point.
    /// </summary>
    public const string NotReachable = "The address is not allowed or could not be reached.";

    /// <summary>
    /// Registers the importer and its HTTP client: redirects followed here (http and https only, each hop checked), no system
    /// proxy (a proxy would connect on our behalf, past the address check), and the address check at connect time.
    /// </summary>
    public static IHttpClientBuilder Register(IServiceCollection services)
    {
        services.AddSingleton<WebPageImporter>();
        return services.AddHttpClient(ClientName, c =>
            {
                c.DefaultRequestHeaders.UserAgent.ParseAdd("CloneAI-Import/1.0");
                c.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(sp => CreateHandler(sp.GetRequiredService<IOptions<KnowledgeOptions>>().Value.ImportAllowPrivateNetworks));
    }

    /// <summary>The import client's handler: no automatic redirects, no proxy, and only allowed addresses connected to.</summary>
    public static SocketsHttpHandler CreateHandler(bool allowPrivate) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        Proxy = null,
        ConnectCallback = (context, ct) => ConnectAsync(context, allowPrivate, ct),
    };

    public async Task<ImportedPage> FetchAsync(string? url, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2000 || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) ||
            uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
            throw new ValidationException("url", "Give a full http:// or https:// address.");
        if (!string.IsNullOrEmpty(uri.UserInfo)) throw new ValidationException("url", "Addresses with a user name or password are not fetched.");

        var client = httpClients.CreateClient(ClientName);
        var seconds = options.Value.ImportTimeoutSeconds;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        try
        {
            // The whole fetch (every redirect, the headers and the body) has one deadline: a page that trickles its body past
            // it is a 400 like one that never answers.
            return await FetchWithinAsync(client, uri, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ValidationException("url", $"The page did not finish loading within {seconds} seconds.");
        }
    }

    private async Task<ImportedPage> FetchWithinAsync(HttpClient client, Uri uri, CancellationToken cancellationToken)
    {
        var current = uri;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (HttpRequestException)
            {
                throw new ValidationException("url", NotReachable);
            }
            using (response)
            {
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    if (hop >= MaxRedirects) throw new ValidationException("url", $"The page redirected more than {MaxRedirects} times.");
                    current = NextHop(current, location);
                    continue;
                }
                return await ReadPageAsync(response, current, cancellationToken);
            }
        }
    }

    /// <summary>Where a redirect leads, if it may be followed: http or https only, with no user name or password.</summary>
    private static Uri NextHop(Uri current, Uri location)
    {
        if (!Uri.TryCreate(current, location, out var next) || next.Scheme is not ("http" or "https") || string.IsNullOrEmpty(next.Host))
            throw new ValidationException("url", "The page redirected to an address that is not http:// or https://, which is not followed.");
        if (!string.IsNullOrEmpty(next.UserInfo))
            throw new ValidationException("url", "The page redirected to an address with a user name or password, which is not followed.");
        return next;
    }

    private async Task<ImportedPage> ReadPageAsync(HttpResponseMessage response, Uri final, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode) throw new ValidationException("url", $"The page answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        var type = response.Content.Headers.ContentType?.MediaType ?? "";
        var kind = type switch
        {
            "text/html" or "application/xhtml+xml" => DocumentKinds.Html,
            "text/plain" => DocumentKinds.Txt,
            "text/markdown" => DocumentKinds.Md,
            _ => throw new ValidationException("url", $"Only web pages and text can be imported, not '{(type.Length == 0 ? "unknown content" : type)}'. Download the file and upload it instead."),
        };
        var max = options.Value.MaxImportBytes;
        if (response.Content.Headers.ContentLength > max) throw new PayloadTooLargeException($"The page is larger than {max / 1024 / 1024} MB.");
        using var buffer = new MemoryStream();
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var chunk = new byte[64 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > max) throw new PayloadTooLargeException($"The page is larger than {max / 1024 / 1024} MB.");
                buffer.Write(chunk, 0, read);
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new ValidationException("url", "The page stopped before it was complete.");
        }
        var name = (final.Host + final.AbsolutePath).TrimEnd('/').Replace('/', '_');
        var extension = kind == DocumentKinds.Html ? ".html" : kind == DocumentKinds.Md ? ".md" : ".txt";
        if (!name.EndsWith(extension, StringComparison.OrdinalIgnoreCase)) name += extension;
        return new ImportedPage(final.ToString(), FileTypes.SanitizeFileName(name), kind, buffer.ToArray());
    }

    /// <summary>The connect step of the import client: refuses addresses that are not public unless allowed.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = addresses.Where(a => allowPrivate || IsPublic(a)).ToList();
        if (allowed.Count == 0) throw new BlockedAddressException(NotReachable);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed.ToArray(), context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether an address is on the public internet. IPv6 forms that carry an IPv4 address (IPv4-mapped and -compatible, NAT64
    /// 64:ff9b::/96, 6to4 2002::/16, Teredo 2001::/32, ISATAP) are judged by the IPv4 address inside them; the local-use NAT64
    /// prefix 64:ff9b:1::/48 and the documentation prefix 2001:db8::/32 are never public.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None)) return false;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast) return false;
            var v6 = address.GetAddressBytes();
            foreach (var embedded in EmbeddedIPv4(v6))
                if (embedded is null || !IsPublicIPv4(embedded)) return false;
            return true;
        }
        return IsPublicIPv4(address.GetAddressBytes());
    }

    /// <summary>
    /// The IPv4 addresses an IPv6 address carries, if it is one of the forms that do; a null entry for a prefix that is never
    /// public whatever it carries.
    /// </summary>
    private static IEnumerable<byte[]?> EmbeddedIPv4(byte[] b)
    {
        static byte[] Last4(byte[] b) => b[12..16];
        // ::a.b.c.d (IPv4-compatible, deprecated): the first 96 bits are zero.
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0) yield return Last4(b);
        // 64:ff9b::/96, the well-known NAT64 prefix: the IPv4 address is the last 32 bits.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
        {
            // 64:ff9b:1::/48, the local-use NAT64 prefix (RFC 8215): translated to whatever the local network chooses.
            if (b[4] == 0x00 && b[5] == 0x01) yield return null;
            else yield return Last4(b);
        }
        // 2002::/16, 6to4: the IPv4 address is bits 16-47.
        if (b[0] == 0x20 && b[1] == 0x02) yield return b[2..6];
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)
        {
            // 2001::/32, Teredo: the server's IPv4 address in bits 32-63, the client's (inverted) in the last 32 bits.
            yield return b[4..8];
            yield return Last4(b).Select(x => (byte)~x).ToArray();
        }
        // 2001:db8::/32, documentation only.
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) yield return null;
        // ISATAP interface identifiers (::0:5efe:a.b.c.d, ::200:5efe:a.b.c.d) carry the IPv4 address in the last 32 bits.
        if ((b[8] | 0x02) == 0x02 && b[9] == 0x00 && b[10] == 0x5e && b[11] == 0xfe) yield return Last4(b);
    }

    private static bool IsPublicIPv4(byte[] b) =>
        !(b[0] == 10 || b[0] == 127 || b[0] == 0 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168) ||
          (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2) ||
          (b[0] == 198 && b[1] is 18 or 19) || (b[0] == 198 && b[1] == 51 && b[2] == 100) || (b[0] == 203 && b[1] == 0 && b[2] == 113) ||
          b[0] >= 224);

    private sealed class BlockedAddressException(string message) : IOException(message);
}
