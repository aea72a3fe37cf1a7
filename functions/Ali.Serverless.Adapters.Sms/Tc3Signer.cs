using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ali.Serverless.Adapters.Sms;

/// <summary>What TC3-HMAC-SHA256 signs of one request to a Tencent Cloud API 3.0 endpoint.</summary>
/// <param name="Service">Product name, the first label of its host (<c>sms</c>).</param>
/// <param name="Host">The Host header exactly as sent.</param>
/// <param name="ContentType">The Content-Type header exactly as sent (a charset the client adds unasked breaks the signature).</param>
/// <param name="Payload">The body bytes exactly as sent; empty for GET.</param>
/// <param name="Timestamp">Unix seconds, also sent as X-TC-Timestamp; its UTC date is the credential's date.</param>
/// <param name="Method">POST for JSON bodies; GET carries its parameters in the query.</param>
/// <param name="CanonicalQueryString">Empty for POST; the URL-encoded query for GET.</param>
public sealed record Tc3Request(
    string Service,
    string Host,
    string ContentType,
    byte[] Payload,
    long Timestamp,
    string Method = "POST",
    string CanonicalQueryString = "");

/// <summary>Each step of one signature, so a test can compare them with the published example one by one.</summary>
public sealed record Tc3Signature(string CanonicalRequest, string StringToSign, string CredentialScope, string Signature, string Authorization);

/// <summary>
/// Tencent Cloud API 3.0 request signing (TC3-HMAC-SHA256): canonical request → string to sign →
/// HMAC-SHA256 key chain "TC3"+SecretKey → date → service → "tc3_request" → hex signature. Only
/// content-type and host are signed, which is what Tencent requires and its worked example shows.
/// </summary>
public sealed class Tc3Signer
{
    public const string Algorithm = "TC3-HMAC-SHA256";
    private const string SignedHeaders = "content-type;host";

    private readonly string _secretId;
    private readonly byte[] _keySeed;

    public Tc3Signer(string secretId, string secretKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secretId);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretKey);
        _secretId = secretId;
        _keySeed = Encoding.UTF8.GetBytes("TC3" + secretKey);
    }

    public Tc3Signature Sign(Tc3Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var canonicalRequest = string.Join('\n',
            request.Method.ToUpperInvariant(),
            "/",
            request.CanonicalQueryString,
            // Each header line ends in \n, and the block is followed by the separator: hence the blank line.
            $"content-type:{request.ContentType.Trim().ToLowerInvariant()}\nhost:{request.Host.Trim().ToLowerInvariant()}\n",
            SignedHeaders,
            Hex(SHA256.HashData(request.Payload)));

        // The date is UTC's: at 00:44 in Beijing it is still the previous day in the scope.
        var date = DateTimeOffset.FromUnixTimeSeconds(request.Timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var scope = $"{date}/{request.Service}/tc3_request";
        var stringToSign = string.Join('\n',
            Algorithm,
            request.Timestamp.ToString(CultureInfo.InvariantCulture),
            scope,
            Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var secretDate = HMACSHA256.HashData(_keySeed, Encoding.UTF8.GetBytes(date));
        var secretService = HMACSHA256.HashData(secretDate, Encoding.UTF8.GetBytes(request.Service));
        var secretSigning = HMACSHA256.HashData(secretService, "tc3_request"u8);
        var signature = Hex(HMACSHA256.HashData(secretSigning, Encoding.UTF8.GetBytes(stringToSign)));

        var authorization = $"{Algorithm} Credential={_secretId}/{scope}, SignedHeaders={SignedHeaders}, Signature={signature}";
        return new Tc3Signature(canonicalRequest, stringToSign, scope, signature, authorization);
    }

    /// <summary>The secret key never appears in a log line through this object.</summary>
    public override string ToString() => $"{nameof(Tc3Signer)}({_secretId})";

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
