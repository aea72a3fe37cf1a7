using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Ali.Serverless.Licences;

/// <summary>Who a licence is issued to, as the licence itself says: the name and the identity number masked.</summary>
public sealed record LicenceHolder(string Kind, string Name, string IdentityNumber);

/// <summary>
/// What the platform signs (电子证照, GB/T 36901–36905 in spirit): every field a reader of the licence
/// relies on. The signature covers <see cref="CanonicalBytes"/>, so changing any field, even one byte of
/// it, makes the licence fail verification.
/// </summary>
public sealed record LicenceContent
{
    public required string Id { get; init; }

    /// <summary>证照类型代码 and its name, from the item's <c>resultLicence</c>.</summary>
    public required string TypeCode { get; init; }
    public required string TypeName { get; init; }

    /// <summary>证照编号: <c>{typeCode}-{divisionCode}-{yyyy}-{8 digits}</c>, unique (the store enforces it).</summary>
    public required string Number { get; init; }

    public required LicenceHolder Holder { get; init; }
    public required string IssuerDepartmentCode { get; init; }
    public required string IssuerDepartmentName { get; init; }
    public required string DivisionCode { get; init; }

    /// <summary>Issue date and validity, as dates in China Standard Time; no end date means 长期 (long-term).</summary>
    public required DateOnly IssuedOn { get; init; }
    public required DateOnly ValidFrom { get; init; }
    public DateOnly? ValidUntil { get; init; }

    public required string CaseNumber { get; init; }
    public required string ItemCode { get; init; }

    /// <summary>The licence's data fields (照面信息), from the application's form.</summary>
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();

    /// <summary>Which platform key signed it (a JWK thumbprint, RFC 7638) and how.</summary>
    public required string KeyId { get; init; }
    public string Algorithm { get; init; } = LicenceSignatures.Algorithm;

    /// <summary>
    /// The signed form, field by field: its names are the contract with anyone who verifies offline. It is
    /// exactly the <c>content</c> object of the API's licence JSON; members without a value are left out.
    /// </summary>
    public JsonObject ToCanonicalNode()
    {
        var data = new JsonObject();
        foreach (var (key, value) in Data)
        {
            data[key] = value;
        }
        var node = new JsonObject
        {
            ["algorithm"] = Algorithm,
            ["caseNumber"] = CaseNumber,
            ["data"] = data,
            ["divisionCode"] = DivisionCode,
            ["holder"] = new JsonObject { ["identityNumber"] = Holder.IdentityNumber, ["kind"] = Holder.Kind, ["name"] = Holder.Name },
            ["id"] = Id,
            ["issuedOn"] = Date(IssuedOn),
            ["issuer"] = new JsonObject { ["departmentCode"] = IssuerDepartmentCode, ["departmentName"] = IssuerDepartmentName },
            ["itemCode"] = ItemCode,
            ["keyId"] = KeyId,
            ["number"] = Number,
            ["type"] = new JsonObject { ["code"] = TypeCode, ["name"] = TypeName },
            ["validFrom"] = Date(ValidFrom),
        };
        // A long-term licence has no end date: the member is left out, as the API's JSON leaves out nulls.
        if (ValidUntil is { } until)
        {
            node["validUntil"] = Date(until);
        }
        return node;
    }

    public byte[] CanonicalBytes() => CanonicalJson.Encode(ToCanonicalNode());

    /// <summary>
    /// What the QR code carries besides the id: the first 16 bytes of the SHA-256 of the signed form,
    /// base64url. A printed page whose content was altered, or a QR code made for another licence, no longer matches.
    /// </summary>
    public string Digest() => LicenceSignatures.Base64Url(SHA256.HashData(CanonicalBytes()).AsSpan(0, 16));

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Revocation (注销/吊销): by whom, why, when. Not part of the signed content: a revoked licence still verifies as authentic, then answers <c>revoked</c>.</summary>
public sealed record LicenceRevocation(string Reason, string By, string DepartmentCode, DateTimeOffset RevokedAt);

/// <summary>
/// A licence as the platform keeps it: the signed content and its signature, and beside them what is
/// not signed: whose account lists it, which case issued it, and its revocation.
/// </summary>
public sealed record Licence
{
    public required LicenceContent Content { get; init; }

    /// <summary>ECDSA P-256 over SHA-256 of the canonical bytes, r‖s (IEEE P1363, as JWS ES256), base64url.</summary>
    public required string Signature { get; init; }

    /// <summary>The applicant's account subject (lists it under <c>/me/licences</c>); null for an application made at a window.</summary>
    public string? HolderAccountId { get; init; }

    public required string ApplicationId { get; init; }

    /// <summary>Partition of the case document that issued it.</summary>
    public required string OwnerId { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }
    public LicenceRevocation? Revocation { get; init; }

    public string Id => Content.Id;
}

/// <summary>What an approved case's outbox carries to issue its licence, fixed at the decision so a later catalog change cannot alter it.</summary>
public sealed record LicenceOrder(string TypeCode, string TypeName, int? ValidityYears, string DepartmentName);

/// <summary>The result of checking a licence: its state, from the first failing check.</summary>
public enum LicenceStatus
{
    Valid,
    Revoked,
    Expired,
    Tampered,
}

public static class LicenceStatusNames
{
    public static string ToWire(this LicenceStatus status) => status switch
    {
        LicenceStatus.Valid => "valid",
        LicenceStatus.Revoked => "revoked",
        LicenceStatus.Expired => "expired",
        _ => "tampered",
    };
}
