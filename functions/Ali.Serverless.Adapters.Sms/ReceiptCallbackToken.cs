using System.Security.Cryptography;
using System.Text;

namespace Ali.Serverless.Adapters.Sms;

/// <summary>
/// The shared secret (Sms__ReceiptToken) that the callback URL configured at the provider carries, so
/// that only the provider can report deliveries. Compared in constant time; never printed.
/// </summary>
public sealed class ReceiptCallbackToken
{
    private readonly byte[]? _expected;

    public ReceiptCallbackToken(string? token)
    {
        _expected = string.IsNullOrWhiteSpace(token) ? null : Encoding.UTF8.GetBytes(token);
    }

    /// <summary>False when no token is configured: an unconfigured callback accepts nobody.</summary>
    public bool IsConfigured => _expected is not null;

    public bool Accepts(string? presented) =>
        _expected is not null && presented is not null
        && CryptographicOperations.FixedTimeEquals(_expected, Encoding.UTF8.GetBytes(presented));

    public override string ToString() => IsConfigured ? "receipt token (set)" : "receipt token (not set)";
}
