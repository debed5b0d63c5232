using System.Net;
using Microsoft.AspNetCore.Http;

namespace CloneAI.Functions.Http;

/// <summary>Who is calling, as the throttles count it: the client's IP address.</summary>
public static class RequestClient
{
    /// <summary>
    /// The connection's remote address; behind a trusted reverse proxy (<paramref name="trustForwardedFor"/>), the first address in
    /// <c>X-Forwarded-For</c>, which the proxy sets. IPv6 addresses count per /64, as one host usually has a whole /64.
    /// </summary>
    public static string Address(HttpRequest request, bool trustForwardedFor)
    {
        IPAddress? address = null;
        if (trustForwardedFor)
        {
            var first = request.Headers["X-Forwarded-For"].ToString().Split(',')[0].Trim();
            address = Parse(first);
        }
        address ??= request.HttpContext.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }
        return address.ToString();
    }

    private static IPAddress? Parse(string value)
    {
        if (value.Length == 0 || value.Length > 100) return null;
        if (IPAddress.TryParse(value, out var ip)) return ip;
        // "1.2.3.4:5678" or "[2001:db8::1]:443"
        if (IPEndPoint.TryParse(value, out var endpoint)) return endpoint.Address;
        return null;
    }
}
