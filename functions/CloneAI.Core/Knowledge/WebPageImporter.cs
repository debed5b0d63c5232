using System.Net;
using System.Net.Sockets;
using CloneAI.Core.Errors;
using Microsoft.Extensions.Options;

namespace CloneAI.Core.Knowledge;

public sealed record ImportedPage(string Url, string FileName, string Kind, byte[] Data);

/// <summary>
/// Fetches an http(s) page for <c>import-url</c>: at most <see cref="KnowledgeOptions.MaxImportBytes"/>, within a timeout, HTML or
/// plain text only. Loopback, private and link-local addresses are refused at connect time (so DNS cannot be used to get around
/// it) unless <see cref="KnowledgeOptions.ImportAllowPrivateNetworks"/> is on.
/// </summary>
public sealed class WebPageImporter(IHttpClientFactory httpClients, IOptions<KnowledgeOptions> options)
{
    public const string ClientName = "cloneai-import";

    public async Task<ImportedPage> FetchAsync(string? url, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2000 || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) ||
            uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
            throw new ValidationException("url", "Give a full http:// or https:// address.");
        if (!string.IsNullOrEmpty(uri.UserInfo)) throw new ValidationException("url", "Addresses with a user name or password are not fetched.");

        var client = httpClients.CreateClient(ClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.ImportTimeoutSeconds));
        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (HttpRequestException e) when (e.InnerException is BlockedAddressException blocked)
        {
            throw new ValidationException("url", blocked.Message);
        }
        catch (HttpRequestException e)
        {
            throw new ValidationException("url", $"The page could not be fetched: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ValidationException("url", $"The page did not answer within {options.Value.ImportTimeoutSeconds} seconds.");
        }
        using (response)
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
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var buffer = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, timeout.Token)) > 0)
            {
                if (buffer.Length + read > max) throw new PayloadTooLargeException($"The page is larger than {max / 1024 / 1024} MB.");
                buffer.Write(chunk, 0, read);
            }
            var final = response.RequestMessage?.RequestUri ?? uri;
            var name = (final.Host + final.AbsolutePath).TrimEnd('/').Replace('/', '_');
            var extension = kind == DocumentKinds.Html ? ".html" : kind == DocumentKinds.Md ? ".md" : ".txt";
            if (!name.EndsWith(extension, StringComparison.OrdinalIgnoreCase)) name += extension;
            return new ImportedPage(final.ToString(), FileTypes.SanitizeFileName(name), kind, buffer.ToArray());
        }
    }

    /// <summary>The connect step of the import client: refuses addresses that are not public unless allowed.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = addresses.Where(a => allowPrivate || IsPublic(a)).ToList();
        if (allowed.Count == 0)
            throw new BlockedAddressException($"'{context.DnsEndPoint.Host}' is a local or private address, which is not fetched.");
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

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return false;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        var b = address.GetAddressBytes();
        return !(b[0] == 10 || b[0] == 127 || b[0] == 0 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168) ||
                 (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) || b[0] >= 224);
    }

    private sealed class BlockedAddressException(string message) : IOException(message);
}
