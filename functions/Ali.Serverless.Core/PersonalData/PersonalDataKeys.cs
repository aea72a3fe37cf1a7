namespace Ali.Serverless.PersonalData;

/// <summary>A key-encryption key (KEK) version: wraps the data keys of stored documents, never data itself.</summary>
public sealed record KeyEncryptionKey(string Id, byte[] Bytes);

/// <summary>
/// Where the keys of personal data come from: Key Vault secrets in Azure, key files locally. The KEK has
/// versions (the newest wraps new data keys; older ones stay readable until rotation has re-wrapped
/// everything); the index key (HMAC of identity numbers) is separate from it and has one value.
/// </summary>
public interface IPersonalDataKeys
{
    /// <summary>The KEK version new writes use.</summary>
    Task<KeyEncryptionKey> GetCurrentAsync(CancellationToken cancellationToken);

    /// <summary>A KEK version by its id; null when no such version exists.</summary>
    Task<KeyEncryptionKey?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The 256-bit key of the identity-number index (HMAC-SHA256).</summary>
    Task<byte[]> GetIndexKeyAsync(CancellationToken cancellationToken);
}

/// <summary>Adds a KEK version. Only the rotation command uses it, with an operator's rights; the app can only read keys.</summary>
public interface IKeyEncryptionKeyRotation
{
    /// <summary>Creates a new random 256-bit KEK version, which becomes current; returns its id.</summary>
    Task<string> AddVersionAsync(CancellationToken cancellationToken);
}

/// <summary>Rules shared by the key sources.</summary>
public static class PersonalDataKeyRules
{
    public const int KeyBytes = 32;

    /// <summary>Key ids appear inside envelopes separated by dots: letters, digits and hyphens only.</summary>
    public static bool IsValidId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>A key as text (standard base64 of 32 bytes): how Key Vault secrets and key files hold it.</summary>
    public static byte[] Parse(string text, string what)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{what} is not base64.");
        }
        return bytes.Length == KeyBytes ? bytes : throw new InvalidOperationException($"{what} must be {KeyBytes} bytes (256 bits), not {bytes.Length}.");
    }
}
