using Ali.Serverless.Cases;
using Ali.Serverless.Catalog;
using Ali.Serverless.Materials;

namespace Ali.Serverless.Applications;

/// <summary>
/// An application as callers see it. The identity document is masked: the caller typed it in and
/// does not need it back over a weak mobile link (minimum necessary, PIPL art. 6).
/// </summary>
public sealed record ApplicationView(
    string Id,
    string ItemCode,
    string Channel,
    string Status,
    string? CaseNumber,
    ApplicantView Applicant,
    IReadOnlyDictionary<string, string> Fields,
    IReadOnlyList<MaterialView> Materials,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? ReviewReceivedAt,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? PromisedDueAt,
    DateTimeOffset? LegalDueAt,
    SupplementRequest? Supplement,
    CaseDecision? Decision,
    IReadOnlyList<SpecialProcedureView> SpecialProcedures,
    Withdrawal? Withdrawal,
    IReadOnlyList<TimelineStep> Timeline)
{
    /// <summary>The licence the approval issued, once the case is approved (GET /licences/{id}).</summary>
    public string? LicenceId { get; init; }

    public static ApplicationView From(Application a) => new(
        a.Id,
        a.ItemCode,
        ChannelNames.ToWire(a.Channel),
        a.Status.ToWire(),
        a.CaseNumber,
        MaskApplicant(a.Applicant),
        a.Fields,
        a.Materials.Select(MaterialView.From).ToList(),
        a.CreatedAt,
        a.UpdatedAt,
        a.SubmittedAt,
        a.ReviewReceivedAt,
        a.AcceptedAt,
        a.PromisedDueAt,
        a.LegalDueAt,
        a.Supplement,
        a.Decision,
        a.SpecialProcedures.Select(SpecialProcedureView.From).ToList(),
        a.Withdrawal,
        a.Timeline)
    {
        LicenceId = a.LicenceId,
    };

    public static ApplicantView MaskApplicant(ApplicantIdentity applicant) => new(
        applicant.Kind == ApplicantKind.NaturalPerson ? ApplicantKinds.NaturalPerson : ApplicantKinds.LegalPerson,
        Mask(applicant.DocumentNumber),
        applicant.Name,
        applicant.Phone is null ? null : Mask(applicant.Phone));

    /// <summary>Keeps the first and last four characters of a document number or phone.</summary>
    internal static string Mask(string value) => PersonalData.PersonalDataMask.Mask(value);
}

public sealed record ApplicantView(string Kind, string DocumentNumber, string Name, string? Phone);

public sealed record MaterialView(string Id, string MaterialCode, string FileName, string ContentType, long SizeBytes, string Status, DateTimeOffset? VerifiedAt)
{
    /// <summary>The licence given instead of a file (减材料), if it is one.</summary>
    public LicenceReference? Licence { get; init; }

    public static MaterialView From(Material m) =>
        new(m.Id, m.Code, m.FileName, m.ContentType, m.SizeBytes, m.IsVerified ? "verified" : "awaiting-upload", m.VerifiedAt) { Licence = m.Licence };
}

/// <summary>Answer to a material declaration: the material and where to PUT its bytes.</summary>
public sealed record MaterialUploadView(MaterialView Material, UploadTarget Upload);

public static class ApplicantKinds
{
    public const string NaturalPerson = "natural-person";
    public const string LegalPerson = "legal-person";
}

public static class ChannelNames
{
    public static string ToWire(Channel channel) => channel.ToString().ToLowerInvariant();

    public static bool TryParse(string? value, out Channel channel)
    {
        switch (value)
        {
            case "web": channel = Channel.Web; return true;
            case "mobile": channel = Channel.Mobile; return true;
            case "window": channel = Channel.Window; return true;
            default: channel = default; return false;
        }
    }
}
