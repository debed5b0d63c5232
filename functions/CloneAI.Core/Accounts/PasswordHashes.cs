using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CloneAI.Core.Accounts;

public enum PasswordCheck
{
    Failed,
    Success,
    /// <summary>Right, but hashed with weaker settings than today's: store a new hash.</summary>
    SuccessRehashNeeded,
}

/// <summary>
/// Password hashes in the ASP.NET Core Identity format that built-in accounts have always stored (so existing hashes keep
/// working), written with the BCL alone: version 3 is PBKDF2 with HMAC-SHA512, 100,000 iterations, a 128-bit salt and a
/// 256-bit subkey, as <c>0x01 | prf | iterations | salt length | salt | subkey</c> (big-endian uint32s), base64.
/// Version 2 hashes (<c>0x00</c>: HMAC-SHA1, 1,000 iterations) and weaker version 3 ones still verify, and ask for a rehash.
/// </summary>
public static class PasswordHashes
{
    private const int Iterations = 100_000;
    private const int SaltBytes = 16;
    private const int SubkeyBytes = 32;
    private const uint Sha1 = 0, Sha256 = 1, Sha512 = 2;

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var subkey = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA512, SubkeyBytes);
        var output = new byte[13 + SaltBytes + SubkeyBytes];
        output[0] = 0x01;
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(1), Sha512);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(5), Iterations);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(9), SaltBytes);
        salt.CopyTo(output, 13);
        subkey.CopyTo(output, 13 + SaltBytes);
        return Convert.ToBase64String(output);
    }

    public static PasswordCheck Verify(string hash, string password)
    {
        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(hash);
        }
        catch (FormatException)
        {
            return PasswordCheck.Failed;
        }
        if (decoded.Length == 0) return PasswordCheck.Failed;
        return decoded[0] switch
        {
            0x00 => VerifyV2(decoded, password) ? PasswordCheck.SuccessRehashNeeded : PasswordCheck.Failed,
            0x01 => VerifyV3(decoded, password),
            _ => PasswordCheck.Failed,
        };
    }

    private static bool VerifyV2(byte[] hash, string password)
    {
        if (hash.Length != 1 + SaltBytes + SubkeyBytes) return false;
        var expected = Rfc2898DeriveBytes.Pbkdf2(password, hash.AsSpan(1, SaltBytes), 1000, HashAlgorithmName.SHA1, SubkeyBytes);
        return CryptographicOperations.FixedTimeEquals(expected, hash.AsSpan(1 + SaltBytes));
    }

    private static PasswordCheck VerifyV3(byte[] hash, string password)
    {
        if (hash.Length < 13) return PasswordCheck.Failed;
        var prf = BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(1));
        var iterations = BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5));
        var saltLength = BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(9));
        HashAlgorithmName? algorithm = prf switch { Sha1 => HashAlgorithmName.SHA1, Sha256 => HashAlgorithmName.SHA256, Sha512 => HashAlgorithmName.SHA512, _ => null };
        if (algorithm is null || iterations is 0 or > int.MaxValue || saltLength < SaltBytes || saltLength > hash.Length - 13) return PasswordCheck.Failed;
        var subkeyLength = hash.Length - 13 - (int)saltLength;
        if (subkeyLength < 16) return PasswordCheck.Failed;
        var expected = Rfc2898DeriveBytes.Pbkdf2(password, hash.AsSpan(13, (int)saltLength), (int)iterations, algorithm.Value, subkeyLength);
        if (!CryptographicOperations.FixedTimeEquals(expected, hash.AsSpan(13 + (int)saltLength))) return PasswordCheck.Failed;
        return iterations < Iterations || prf != Sha512 ? PasswordCheck.SuccessRehashNeeded : PasswordCheck.Success;
    }
}
