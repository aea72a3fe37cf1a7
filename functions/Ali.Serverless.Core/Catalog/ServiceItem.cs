using Ali.Serverless.Common;

namespace Ali.Serverless.Catalog;

/// <summary>
/// A service item (政务服务事项) with the GB/T 39046-2020 data items the intake needs.
/// Codes (item type, level, case type, applicant kinds) use the standard's code sets.
/// </summary>
public sealed record ServiceItem
{
    /// <summary>实施编码: the implementation code, unique per implementing unit; the item's id in URLs.</summary>
    public required string ItemCode { get; init; }

    /// <summary>基本编码: the basic code shared by every unit that implements the same item.</summary>
    public required string BasicCode { get; init; }

    public required LocalizedText Name { get; init; }
    public LocalizedText? Description { get; init; }

    /// <summary>事项类型: 01 许可, 05 给付, 07 确认, 20 公共服务, ...</summary>
    public required string ItemType { get; init; }

    /// <summary>行使层级: 3 市 (prefecture), 4 县 (county), ...</summary>
    public required string Level { get; init; }

    /// <summary>实施主体: the implementing department's code.</summary>
    public required string DepartmentCode { get; init; }

    public required LocalizedText DepartmentName { get; init; }

    /// <summary>Administrative division where the item is implemented (GB/T 2260).</summary>
    public required string DivisionCode { get; init; }

    /// <summary>共同实施部门: departments that give opinions in parallel review.</summary>
    public IReadOnlyList<string> CoImplementingDepartments { get; init; } = [];

    /// <summary>设定依据.</summary>
    public LocalizedText? LegalBasis { get; init; }

    /// <summary>法定办结时限, in working days.</summary>
    public required int LegalTimeLimitDays { get; init; }

    /// <summary>承诺办结时限, in working days; 0 for an item handled on the spot.</summary>
    public required int PromisedTimeLimitDays { get; init; }

    /// <summary>办件类型: 1 即办件, 2 承诺件.</summary>
    public required string CaseType { get; init; }

    /// <summary>服务对象: 1 自然人, 2 企业法人, ...</summary>
    public required IReadOnlyList<string> ApplicantKinds { get; init; }

    /// <summary>Channels the item can be applied through.</summary>
    public required IReadOnlyList<Channel> Channels { get; init; }

    /// <summary>是否收费 and 收费依据.</summary>
    public Fee Fee { get; init; } = new(false, null);

    /// <summary>Whether the whole matter can be handled online (网上可办).</summary>
    public required bool OnlineCapable { get; init; }

    public required IReadOnlyList<MaterialRequirement> Materials { get; init; }

    /// <summary>The electronic licence (电子证照) an approval of this item issues; null when it issues none.</summary>
    public ResultLicence? ResultLicence { get; init; }

    public MaterialRequirement? FindMaterial(string code) =>
        Materials.FirstOrDefault(m => string.Equals(m.Code, code, StringComparison.Ordinal));
}

public sealed record Fee(bool Charged, LocalizedText? Basis);

/// <summary>
/// A material (材料) an item asks for: whether it is required (是否必备), which formats are
/// accepted and how large one file may be.
/// </summary>
public sealed record MaterialRequirement
{
    public required string Code { get; init; }
    public required LocalizedText Name { get; init; }

    /// <summary>出具机构, when the material comes from another authority.</summary>
    public LocalizedText? IssuingBody { get; init; }

    public required bool Required { get; init; }
    public required IReadOnlyList<string> AcceptedContentTypes { get; init; }
    public required long MaxSizeBytes { get; init; }

    /// <summary>
    /// The type code of a licence this platform issues that satisfies the material: the applicant may give one
    /// of their own valid licences of this type instead of uploading a file (减材料). Null: upload only.
    /// </summary>
    public string? LicenceType { get; init; }
}

/// <summary>
/// The licence an item's approval produces: its type code (证照类型代码, a local placeholder until the
/// regional licence catalog is imported), its name (Chinese; Tibetan only from translators), and how many
/// years it is valid (null: long-term, 长期).
/// </summary>
public sealed record ResultLicence
{
    public required string TypeCode { get; init; }
    public required LocalizedText Name { get; init; }
    public int? ValidityYears { get; init; }
}

/// <summary>办理形式: how an application reaches the platform.</summary>
public enum Channel
{
    /// <summary>1 窗口: at a service hall window.</summary>
    Window,
    /// <summary>2 电脑端网上: the web portal.</summary>
    Web,
    /// <summary>3 移动端: the mobile app.</summary>
    Mobile,
}
