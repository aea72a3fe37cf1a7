using Ali.Serverless.Catalog;
using Ali.Serverless.Common;

namespace Ali.Serverless.Core.Tests.Support;

/// <summary>Service items shaped like the seeded catalog, small enough to read in a test.</summary>
internal static class TestCatalog
{
    public const long MiB = 1024 * 1024;

    /// <summary>Natural persons, every channel; two required materials and one optional.</summary>
    public const string PersonItemCode = "542500-TEST-01001";

    /// <summary>Enterprises only (服务对象 2), window and web.</summary>
    public const string EnterpriseItemCode = "542500-TEST-01002";

    /// <summary>Natural persons, window and mobile only (no web).</summary>
    public const string NoWebItemCode = "542523-TEST-01003";

    public static ServiceItem PersonItem() => Item(PersonItemCode, ["1"], [Channel.Window, Channel.Web, Channel.Mobile]) with
    {
        Materials =
        [
            Material("M01", "申请书", required: true, ["application/pdf", "application/ofd"], 5 * MiB),
            Material("M02", "居民身份证", required: true, ["image/jpeg", "image/png", "application/pdf"], 2 * MiB),
            Material("M03", "其他说明材料", required: false, ["application/pdf"], 5 * MiB),
        ],
    };

    public static ServiceItem EnterpriseItem() => Item(EnterpriseItemCode, ["2", "3"], [Channel.Window, Channel.Web]);

    public static ServiceItem NoWebItem() => Item(NoWebItemCode, ["1"], [Channel.Window, Channel.Mobile]) with
    {
        Level = "4",
        DivisionCode = "542523",
    };

    public static IReadOnlyList<ServiceItem> All() => [PersonItem(), EnterpriseItem(), NoWebItem()];

    public static ServiceItem Item(string code, IReadOnlyList<string> applicantKinds, IReadOnlyList<Channel> channels) => new()
    {
        ItemCode = code,
        BasicCode = "B-" + code,
        Name = new LocalizedText("个体工商户设立登记", "ཚོང་པ་སྒེར་གྱི་ཐོ་འགོད།"),
        Description = new LocalizedText("有经营能力的公民申请登记为个体工商户。"),
        ItemType = "01",
        Level = "3",
        DepartmentCode = "542500-SCJGJ",
        DepartmentName = new LocalizedText("阿里地区市场监督管理局"),
        DivisionCode = "542500",
        LegalTimeLimitDays = 3,
        PromisedTimeLimitDays = 1,
        CaseType = "2",
        ApplicantKinds = applicantKinds,
        Channels = channels,
        OnlineCapable = true,
        Materials = [Material("M01", "申请书", required: true, ["application/pdf"], 5 * MiB)],
    };

    public static MaterialRequirement Material(string code, string name, bool required, IReadOnlyList<string> types, long maxSize) => new()
    {
        Code = code,
        Name = new LocalizedText(name),
        Required = required,
        AcceptedContentTypes = types,
        MaxSizeBytes = maxSize,
    };
}
