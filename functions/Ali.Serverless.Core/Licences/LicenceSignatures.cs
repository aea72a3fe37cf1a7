using System.Security.Cryptography;
using System.Text;

namespace Ali.Serverless.Licences;

/// <summary>One platform signing key: its id, the key (private for signing, public for verifying) and when it was made.</summary>
public sealed record LicenceKey(string KeyId, ECDsa Key, DateTimeOffset CreatedAt);

/// <summary>
/// The platform's licence keys, newest first. The newest signs new licences; every key listed still
/// verifies what it signed, so a key can rotate without invalidating licences already issued.
/// </summary>
public interface ILicenceKeyRing
{
    Task<IReadOnlyList<LicenceKey>> GetKeysAsync(CancellationToken cancellationToken);
}

/// <summary>A public key as a JSON Web Key (RFC 7517/7518): what <c>GET /api/licences/keys</c> publishes.</summary>
public sealed record PublicJwk(string Kty, string Crv, string X, string Y, string Kid, string Alg, string Use);

/// <summary>ES256 signatures over a licence's canonical form, and the key ids.</summary>
public static class LicenceSignatures
{
    public const string Algorithm = "ES256";

    public static string Sign(ECDsa key, byte[] canonical) =>
        Base64Url(key.SignData(canonical, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    public static bool Verify(ECDsa key, byte[] canonical, string signature)
    {
        var bytes = FromBase64Url(signature);
        return bytes is { Length: 64 } && key.VerifyData(canonical, bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>Whether the licence was signed by one of <paramref name="keys"/> and is unchanged since.</summary>
    public static bool IsAuthentic(Licence licence, IReadOnlyList<LicenceKey> keys)
    {
        var key = keys.FirstOrDefault(k => k.KeyId == licence.Content.KeyId);
        return key is not null && Verify(key.Key, licence.Content.CanonicalBytes(), licence.Signature);
    }

    /// <summary>The RFC 7638 thumbprint of the public key: the same key gets the same id wherever it is kept.</summary>
    public static string KeyIdOf(ECDsa key)
    {
        var p = key.ExportParameters(false);
        if (key.KeySize != 256 || p.Q.X is not { Length: 32 } || p.Q.Y is not { Length: 32 })
        {
            throw new CryptographicException("Licence keys are ECDSA P-256.");
        }
        var json = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{Base64Url(p.Q.X!)}\",\"y\":\"{Base64Url(p.Q.Y!)}\"}}";
        return Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    public static PublicJwk ToJwk(LicenceKey key)
    {
        var p = key.Key.ExportParameters(false);
        return new PublicJwk("EC", "P-256", Base64Url(p.Q.X!), Base64Url(p.Q.Y!), key.KeyId, Algorithm, "sig");
    }

    /// <summary>A key from its PKCS#8 PEM ("PRIVATE KEY" or "EC PRIVATE KEY"), checked to be P-256.</summary>
    public static LicenceKey FromPem(string pem, DateTimeOffset createdAt)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        if (key.KeySize != 256)
        {
            throw new CryptographicException($"Licence keys are ECDSA P-256; this one has {key.KeySize} bits.");
        }
        return new LicenceKey(KeyIdOf(key), key, createdAt);
    }

    public static string NewPrivateKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    public static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[]? FromBase64Url(string text)
    {
        if (text.Length > 1024 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return null;
        }
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => "!" };
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
