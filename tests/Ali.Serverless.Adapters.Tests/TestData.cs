using Ali.Serverless.Applications;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;

namespace Ali.Serverless.Adapters.Tests;

internal static class TestData
{
    public static ServiceItem Item(string code, string department = "542500-RSJ", string itemType = "01") => new()
    {
        ItemCode = code,
        BasicCode = "B-" + code,
        Name = new LocalizedText("社会保障卡申领", "ཚོད་ལྟ།"),
        ItemType = itemType,
        Level = "3",
        DepartmentCode = department,
        DepartmentName = new LocalizedText("阿里地区人力资源和社会保障局"),
        DivisionCode = "542500",
        LegalTimeLimitDays = 20,
        PromisedTimeLimitDays = 10,
        CaseType = "2",
        ApplicantKinds = ["1"],
        Channels = [Channel.Window, Channel.Web],
        OnlineCapable = true,
        Materials =
        [
            new MaterialRequirement
            {
                Code = "M01", Name = new LocalizedText("身份证"), Required = true,
                AcceptedContentTypes = ["application/pdf"], MaxSizeBytes = 1024,
            },
        ],
    };

    public static Application Application(string ownerId, DateTimeOffset createdAt, string? id = null) => new()
    {
        Id = id ?? Guid.NewGuid().ToString("N"),
        OwnerId = ownerId,
        ItemCode = "542500-RSJ-1",
        DepartmentCode = "542500-RSJ",
        DivisionCode = "542500",
        Channel = Channel.Web,
        Applicant = new ApplicantIdentity(ApplicantKind.NaturalPerson, "11010519491231002X", "扎西", "13800000000"),
        OpenedBy = "citizen-1",
        OpenedByRole = "applicant",
        Fields = new Dictionary<string, string> { ["reason"] = "新办" },
        Status = ApplicationStatus.Draft,
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
    };
}
