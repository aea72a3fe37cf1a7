using System.Security.Cryptography;
using System.Text;
using Ali.Serverless.Applications;
using Ali.Serverless.Identity;

namespace Ali.Serverless.PersonalData;

/// <summary>
/// The keyed hash (HMAC-SHA256) of an applicant's identity number: the only form in which stores can be
/// searched by it (一号 linking), since the number itself is stored encrypted with a random nonce. The
/// key is a secret apart from the KEK, so the index cannot be rebuilt by guessing numbers without it.
/// </summary>
public sealed class ApplicantKeys(IPersonalDataKeys keys)
{
    /// <summary>Kind and normalised number (trimmed, upper-case: the X of an ID number) go into the hash, so a credit code never meets an ID number.</summary>
    public async Task<string> ForAsync(ApplicantKind kind, string documentNumber, CancellationToken cancellationToken)
    {
        var normalised = kind == ApplicantKind.NaturalPerson
            ? ResidentIdNumber.Normalize(documentNumber)
            : UnifiedSocialCreditCode.Normalize(documentNumber);
        var label = kind == ApplicantKind.NaturalPerson ? ApplicantKinds.NaturalPerson : ApplicantKinds.LegalPerson;
        var key = await keys.GetIndexKeyAsync(cancellationToken);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{label}:{normalised}")));
    }

    /// <summary>
    /// The stored fingerprint of an open request (kept to tell a retry from a reused Idempotency-Key). The
    /// body holds the identity number, and a plain hash of a guessable body could be searched by guessing,
    /// so it is keyed like the index.
    /// </summary>
    public async Task<string> ForRequestAsync(string requestFingerprint, CancellationToken cancellationToken)
    {
        var key = await keys.GetIndexKeyAsync(cancellationToken);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"request:{requestFingerprint}")));
    }
}
