using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Ali.Serverless.Applications;

namespace Ali.Serverless.PersonalData;

/// <summary>
/// Encrypts the personal data inside an application document at the store boundary, and decrypts it
/// on the way back. Stores call it on every write and read, so no store ever holds these values in clear.
/// </summary>
public interface IPersonalDataProtector
{
    /// <summary>The document as it is stored: identity number, phone and form field values sealed, the wrapped data key beside them.</summary>
    Task<Application> ProtectAsync(Application application, CancellationToken cancellationToken);

    /// <summary>The document as the rules use it. A document stored before encryption existed (no data key) comes back as it is.</summary>
    Task<Application> UnprotectAsync(Application stored, CancellationToken cancellationToken);

    /// <summary>The id of the KEK version new writes use: documents under any other are what rotation rewrites.</summary>
    Task<string> CurrentKeyIdAsync(CancellationToken cancellationToken);
}

/// <summary>A stored value that cannot be decrypted: changed, moved from another document, or its key is gone.</summary>
public sealed class PersonalDataUnreadableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Envelope encryption with AES-256-GCM (decision 13). Every write draws a fresh data key (DEK), wraps it
/// with the current KEK and stores it in the document as
/// <c>dk1.{kekId}.{dekId}.{nonce}.{wrapped}.{tag}</c>; each protected value becomes
/// <c>pd1.{dekId}.{nonce}.{ciphertext}.{tag}</c> (base64url parts). The associated data binds the data key
/// to the document (owner and id) and each value to the document and its field, so a value copied into
/// another document or field does not decrypt. Old KEK versions stay readable; rotation re-saves documents.
/// </summary>
public sealed class PersonalDataProtector(IPersonalDataKeys keys, ApplicantKeys applicantKeys) : IPersonalDataProtector
{
    public const string ValuePrefix = "pd1";
    public const string DataKeyPrefix = "dk1";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public async Task<Application> ProtectAsync(Application application, CancellationToken cancellationToken)
    {
        var kek = await keys.GetCurrentAsync(cancellationToken);
        var dek = RandomNumberGenerator.GetBytes(PersonalDataKeyRules.KeyBytes);
        try
        {
            var dekId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            string dataKey;
            using (var wrap = new AesGcm(kek.Bytes, TagBytes))
            {
                dataKey = string.Join('.', DataKeyPrefix, kek.Id, dekId, Seal(wrap, dek, DataKeyContext(application, kek.Id, dekId)));
            }
            // One cipher instance for every value of this document; it lives for this call only, like the key.
            using var aes = new AesGcm(dek, TagBytes);
            var applicant = application.Applicant;
            return application with
            {
                // Filled here for documents opened before the index existed; new ones carry it from the intake.
                ApplicantKey = application.ApplicantKey ?? await applicantKeys.ForAsync(applicant.Kind, applicant.DocumentNumber, cancellationToken),
                Applicant = applicant with
                {
                    DocumentNumber = SealValue(aes, dekId, application, DocumentNumberField, applicant.DocumentNumber),
                    Phone = applicant.Phone is null ? null : SealValue(aes, dekId, application, PhoneField, applicant.Phone),
                },
                Fields = application.Fields.ToDictionary(f => f.Key, f => SealValue(aes, dekId, application, FieldPath(f.Key), f.Value), StringComparer.Ordinal),
                DataKey = dataKey,
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dek);
        }
    }

    public async Task<Application> UnprotectAsync(Application stored, CancellationToken cancellationToken)
    {
        if (stored.DataKey is null)
        {
            // Written before encryption: readable as it is, and rewritten encrypted by its next change or by rotation.
            return stored;
        }
        var (kekId, dekId, sealedKey) = ParseDataKey(stored.DataKey);
        var kek = await keys.GetAsync(kekId, cancellationToken)
            ?? throw new PersonalDataUnreadableException($"The key-encryption key version '{kekId}' of application '{stored.Id}' is not available.");
        byte[] dek;
        using (var unwrap = new AesGcm(kek.Bytes, TagBytes))
        {
            dek = Open(unwrap, sealedKey, DataKeyContext(stored, kekId, dekId), $"the data key of application '{stored.Id}'");
        }
        try
        {
            // One cipher instance for every value of this document, for this call only (the data key is not kept either).
            using var aes = CipherFor(dek, $"the data key of application '{stored.Id}'");
            var applicant = stored.Applicant;
            return stored with
            {
                Applicant = applicant with
                {
                    DocumentNumber = OpenValue(aes, dekId, stored, DocumentNumberField, applicant.DocumentNumber),
                    Phone = applicant.Phone is null ? null : OpenValue(aes, dekId, stored, PhoneField, applicant.Phone),
                },
                Fields = stored.Fields.ToDictionary(f => f.Key, f => OpenValue(aes, dekId, stored, FieldPath(f.Key), f.Value), StringComparer.Ordinal),
                DataKey = null,
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dek);
        }
    }

    public async Task<string> CurrentKeyIdAsync(CancellationToken cancellationToken) => (await keys.GetCurrentAsync(cancellationToken)).Id;

    /// <summary>The KEK version a stored data key names, or null for a document written before encryption.</summary>
    public static string? KeyIdOf(string? dataKey) => dataKey is null ? null : ParseDataKey(dataKey).KekId;

    public const string DocumentNumberField = "applicant.documentNumber";
    public const string PhoneField = "applicant.phone";

    public static string FieldPath(string name) => $"fields.{name}";

    private static string DataKeyContext(Application a, string kekId, string dekId) => $"{DataKeyPrefix}|{a.OwnerId}|{a.Id}|{kekId}|{dekId}";

    private static string ValueContext(Application a, string field) => $"{ValuePrefix}|{a.OwnerId}|{a.Id}|{field}";

    private static string SealValue(AesGcm aes, string dekId, Application a, string field, string plain) =>
        string.Join('.', ValuePrefix, dekId, Seal(aes, Encoding.UTF8.GetBytes(plain), ValueContext(a, field)));

    private static string OpenValue(AesGcm aes, string dekId, Application a, string field, string stored)
    {
        var parts = stored.Split('.');
        if (parts.Length != 5 || parts[0] != ValuePrefix)
        {
            throw new PersonalDataUnreadableException($"The value of {field} in application '{a.Id}' is not an encrypted value.");
        }
        if (parts[1] != dekId)
        {
            throw new PersonalDataUnreadableException($"The value of {field} in application '{a.Id}' was made with another data key.");
        }
        return Encoding.UTF8.GetString(Open(aes, string.Join('.', parts[2..]), ValueContext(a, field), $"{field} of application '{a.Id}'"));
    }

    /// <summary>The cipher of an unwrapped data key; one that is not a valid AES key is unreadable data, like a failed tag.</summary>
    private static AesGcm CipherFor(byte[] key, string what)
    {
        try
        {
            return new AesGcm(key, TagBytes);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new PersonalDataUnreadableException($"Cannot decrypt {what}: it is not a valid key.", e);
        }
    }

    /// <summary>AES-GCM with a random 96-bit nonce: "{nonce}.{ciphertext}.{tag}" in base64url.</summary>
    private static string Seal(AesGcm aes, byte[] plain, string context)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var cipher = new byte[plain.Length];
        var tag = new byte[TagBytes];
        aes.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes(context));
        return $"{Base64Url.EncodeToString(nonce)}.{Base64Url.EncodeToString(cipher)}.{Base64Url.EncodeToString(tag)}";
    }

    private static byte[] Open(AesGcm aes, string sealedText, string context, string what)
    {
        try
        {
            var parts = sealedText.Split('.');
            if (parts.Length != 3)
            {
                throw new FormatException("Three parts expected.");
            }
            var nonce = Base64Url.DecodeFromChars(parts[0]);
            var cipher = Base64Url.DecodeFromChars(parts[1]);
            var tag = Base64Url.DecodeFromChars(parts[2]);
            var plain = new byte[cipher.Length];
            aes.Decrypt(nonce, cipher, tag, plain, Encoding.UTF8.GetBytes(context));
            return plain;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            throw new PersonalDataUnreadableException($"Cannot decrypt {what}: it was changed or belongs to another document.", e);
        }
    }

    private static (string KekId, string DekId, string Sealed) ParseDataKey(string dataKey)
    {
        var parts = dataKey.Split('.');
        if (parts.Length != 6 || parts[0] != DataKeyPrefix)
        {
            throw new PersonalDataUnreadableException("The stored data key is not in the dk1 format.");
        }
        return (parts[1], parts[2], string.Join('.', parts[3..]));
    }
}
