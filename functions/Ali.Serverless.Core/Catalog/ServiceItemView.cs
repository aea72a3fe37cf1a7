using Ali.Serverless.Common;

namespace Ali.Serverless.Catalog;

/// <summary>
/// A service item in one language, as the portal and apps show it. Texts without a Tibetan
/// translation are given in Chinese and named in <see cref="Untranslated"/> so the gap is visible
/// and can be reported to the catalog's maintainers.
/// </summary>
public sealed record ServiceItemView(
    string ItemCode,
    string BasicCode,
    string Language,
    string Name,
    string? Description,
    string ItemType,
    string Level,
    string DepartmentCode,
    string DepartmentName,
    string DivisionCode,
    IReadOnlyList<string> CoImplementingDepartments,
    string? LegalBasis,
    int LegalTimeLimitDays,
    int PromisedTimeLimitDays,
    string CaseType,
    IReadOnlyList<string> ApplicantKinds,
    IReadOnlyList<string> Channels,
    bool FeeCharged,
    string? FeeBasis,
    bool OnlineCapable,
    IReadOnlyList<MaterialRequirementView> Materials,
    IReadOnlyList<string>? Untranslated)
{
    /// <summary>The licence an approval issues, if any.</summary>
    public ResultLicenceView? ResultLicence { get; init; }

    public static ServiceItemView From(ServiceItem item, string language)
    {
        var untranslated = new List<string>();
        string Text(LocalizedText text, string field)
        {
            var (value, fellBack) = text.In(language);
            if (fellBack)
            {
                untranslated.Add(field);
            }
            return value;
        }
        string? Optional(LocalizedText? text, string field) => text is null ? null : Text(text, field);

        var view = new ServiceItemView(
            item.ItemCode,
            item.BasicCode,
            language,
            Text(item.Name, "name"),
            Optional(item.Description, "description"),
            item.ItemType,
            item.Level,
            item.DepartmentCode,
            Text(item.DepartmentName, "departmentName"),
            item.DivisionCode,
            item.CoImplementingDepartments,
            Optional(item.LegalBasis, "legalBasis"),
            item.LegalTimeLimitDays,
            item.PromisedTimeLimitDays,
            item.CaseType,
            item.ApplicantKinds,
            item.Channels.Select(c => c.ToString().ToLowerInvariant()).ToList(),
            item.Fee.Charged,
            Optional(item.Fee.Basis, "feeBasis"),
            item.OnlineCapable,
            item.Materials.Select((m, i) => new MaterialRequirementView(
                m.Code,
                Text(m.Name, $"materials[{i}].name"),
                Optional(m.IssuingBody, $"materials[{i}].issuingBody"),
                m.Required,
                m.AcceptedContentTypes,
                m.MaxSizeBytes) { LicenceType = m.LicenceType }).ToList(),
            null)
        {
            ResultLicence = item.ResultLicence is { } licence
                ? new ResultLicenceView(licence.TypeCode, Text(licence.Name, "resultLicence.name"), licence.ValidityYears)
                : null,
        };
        return untranslated.Count == 0 ? view : view with { Untranslated = untranslated };
    }
}

public sealed record MaterialRequirementView(
    string Code, string Name, string? IssuingBody, bool Required, IReadOnlyList<string> AcceptedContentTypes, long MaxSizeBytes)
{
    /// <summary>A licence type the applicant may give instead of a file (减材料).</summary>
    public string? LicenceType { get; init; }
}

public sealed record ResultLicenceView(string TypeCode, string Name, int? ValidityYears);

/// <summary>A short line per item for lists, so a catalog page stays small on a weak mobile link.</summary>
public sealed record ServiceItemSummary(
    string ItemCode, string Name, string ItemType, string DepartmentCode, string DepartmentName, string DivisionCode,
    int PromisedTimeLimitDays, bool OnlineCapable, bool TranslationMissing)
{
    public static ServiceItemSummary From(ServiceItem item, string language)
    {
        var (name, nameFellBack) = item.Name.In(language);
        var (department, departmentFellBack) = item.DepartmentName.In(language);
        return new(item.ItemCode, name, item.ItemType, item.DepartmentCode, department, item.DivisionCode,
            item.PromisedTimeLimitDays, item.OnlineCapable, nameFellBack || departmentFellBack);
    }
}
