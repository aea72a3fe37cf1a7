using System.Globalization;

namespace Ali.Serverless.Licences;

/// <summary>A licence as its holder and its issuing department see it: the signed content, the signature, and its state now.</summary>
public sealed record LicenceView(
    string Id,
    string Status,
    LicenceContentView Content,
    string Signature,
    string VerificationDigest,
    string CaseNumber,
    DateTimeOffset IssuedAt,
    LicenceRevocationView? Revocation)
{
    public static LicenceView From(Licence licence, LicenceStatus status) => new(
        licence.Id, status.ToWire(), LicenceContentView.From(licence.Content), licence.Signature, licence.Content.Digest(),
        licence.Content.CaseNumber, licence.IssuedAt,
        licence.Revocation is { } r ? new LicenceRevocationView(r.Reason, r.DepartmentCode, r.RevokedAt) : null);
}

/// <summary>
/// The signed content with the same names as the canonical form, so a client can rebuild the signed bytes
/// from it (RFC 8785) and check <see cref="LicenceView.Signature"/> against the published key.
/// </summary>
public sealed record LicenceContentView(
    string Algorithm, string CaseNumber, IReadOnlyDictionary<string, string> Data, string DivisionCode, LicenceHolder Holder, string Id,
    string IssuedOn, LicenceIssuerView Issuer, string ItemCode, string KeyId, string Number, LicenceTypeView Type, string ValidFrom, string? ValidUntil)
{
    public static LicenceContentView From(LicenceContent c) => new(
        c.Algorithm, c.CaseNumber, c.Data, c.DivisionCode, c.Holder, c.Id, Date(c.IssuedOn),
        new LicenceIssuerView(c.IssuerDepartmentCode, c.IssuerDepartmentName), c.ItemCode, c.KeyId, c.Number,
        new LicenceTypeView(c.TypeCode, c.TypeName), Date(c.ValidFrom), c.ValidUntil is { } u ? Date(u) : null);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed record LicenceIssuerView(string DepartmentCode, string DepartmentName);

public sealed record LicenceTypeView(string Code, string Name);

public sealed record LicenceRevocationView(string Reason, string DepartmentCode, DateTimeOffset RevokedAt);

/// <summary>One line per licence for the holder's list.</summary>
public sealed record LicenceSummary(string Id, string Status, LicenceTypeView Type, string Number, string IssuerDepartmentName, string IssuedOn, string? ValidUntil)
{
    public static LicenceSummary From(Licence l, LicenceStatus status) => new(
        l.Id, status.ToWire(), new LicenceTypeView(l.Content.TypeCode, l.Content.TypeName), l.Content.Number, l.Content.IssuerDepartmentName,
        LicenceContentView.Date(l.Content.IssuedOn), l.Content.ValidUntil is { } u ? LicenceContentView.Date(u) : null);
}

/// <summary>
/// What <c>GET /licences/verify</c> shows anyone holding the QR code: the state, and only what a verifier
/// (a bank clerk, an employer) needs to compare with the paper: the holder's name and number masked, never
/// the full identity number, no data fields. Nothing at all is shown for a tampered licence but the state.
/// </summary>
public sealed record LicenceVerification(string Status, string LicenceId, VerifiedLicence? Licence, DateTimeOffset? RevokedAt, DateTimeOffset CheckedAt);

public sealed record VerifiedLicence(LicenceTypeView Type, string Number, string HolderName, string HolderIdentityNumber, LicenceIssuerView Issuer, string IssuedOn, string ValidFrom, string? ValidUntil)
{
    public static VerifiedLicence From(LicenceContent c) => new(
        new LicenceTypeView(c.TypeCode, c.TypeName), c.Number, MaskName(c.Holder.Name), c.Holder.IdentityNumber,
        new LicenceIssuerView(c.IssuerDepartmentCode, c.IssuerDepartmentName), LicenceContentView.Date(c.IssuedOn),
        LicenceContentView.Date(c.ValidFrom), c.ValidUntil is { } u ? LicenceContentView.Date(u) : null);

    /// <summary>
    /// Keeps the first and (from three characters on) the last character: 次仁卓玛 → 次**玛. Counted in
    /// text elements, so a Tibetan stacked letter is kept or hidden whole, never split.
    /// </summary>
    public static string MaskName(string name)
    {
        var elements = new List<string>();
        var e = StringInfo.GetTextElementEnumerator(name);
        while (e.MoveNext())
        {
            elements.Add(e.GetTextElement());
        }
        return elements.Count switch
        {
            0 => "",
            1 => "*",
            2 => elements[0] + "*",
            _ => elements[0] + new string('*', elements.Count - 2) + elements[^1],
        };
    }
}

/// <summary>POST /licences/{id}/revoke.</summary>
public sealed record RevokeLicenceRequest(string? Reason);
