using Ali.Serverless.Common;
using Ali.Serverless.Notifications;

namespace Ali.Serverless.Core.Tests.Notifications;

/// <summary>The shipped templates: every placeholder known and filled, SMS within two segments.</summary>
public sealed class TemplateTests
{
    private static readonly TemplateCatalog Shipped = TemplateCatalog.Load(NotificationHarness.TemplatesPath);

    private static Dictionary<string, string> LongestValues() => new()
    {
        [Placeholders.CaseNumber] = "542500-20261231-ABCDEF0123",
        [Placeholders.ItemName] = "建设项目用地预审与选址意见书核发",
        [Placeholders.DueDate] = "2026年12月31日",
        [Placeholders.LegalDueDate] = "2026年12月31日",
        [Placeholders.Materials] = "- 申请书（M01）：签名缺失",
        [Placeholders.Opinion] = "不符合条件",
        [Placeholders.Outcome] = "不予批准",
        [Placeholders.Procedure] = "专家评审",
        [Placeholders.TaskKind] = "法定办结时限",
        [Placeholders.Level] = "overdue",
        [Placeholders.Department] = "542500-SCJGJ",
    };

    [Fact]
    public void EveryEventTheWorkflowRaises_HasAnApplicantOrDepartmentTemplate()
    {
        var events = typeof(Ali.Serverless.Cases.CaseEventTypes).GetFields().Select(f => (string)f.GetValue(null)!);
        Assert.All(events, e => Assert.True(Shipped.Find(e, Audiences.Applicant) is not null || Shipped.Find(e, Audiences.Department) is not null, e));
        Assert.All(global::Ali.Serverless.Supervision.WarningLevels.All, level => Assert.NotNull(Shipped.Find(level, Audiences.Supervisor)));
    }

    [Fact]
    public void EveryTemplate_FillsCompletely()
    {
        foreach (var template in Shipped.All)
        {
            foreach (var text in new[] { template.Title, template.Body, template.Sms }.OfType<LocalizedText>())
            {
                Assert.DoesNotContain("{", Placeholders.Fill(text.Zh, LongestValues()));
            }
        }
    }

    [Fact]
    public void EverySms_StaysWithinTwoSegments_WithTheSignName()
    {
        // A concatenated Chinese SMS carries 67 characters a segment; the provider adds 【sign name】.
        const int twoSegments = 2 * 67;
        const string sign = "【阿里政务】";
        foreach (var template in Shipped.All.Where(t => t.Sms is not null))
        {
            var filled = sign + Placeholders.Fill(template.Sms!.Zh, LongestValues());
            Assert.True(filled.Length <= twoSegments, $"{template.Id}: {filled.Length} characters");
        }
    }

    [Fact]
    public void ATemplateWithAnUnknownPlaceholder_FailsToLoad()
    {
        var json = """{"templates": [{"id": "accepted.applicant", "event": "accepted", "audience": "applicant", "version": 1, "title": {"zh": "已受理"}, "body": {"zh": "办件{caseNumbr}已受理"}}]}""";

        var error = Assert.Throws<FormatException>(() => TemplateCatalog.Parse(json));

        Assert.Contains("{caseNumbr}", error.Message);
    }

    [Theory]
    [InlineData("""{"templates": [{"id": "x.applicant", "event": "accepted", "audience": "applicant", "version": 1, "title": {"zh": "a"}, "body": {"zh": "b"}}]}""", "id")]
    [InlineData("""{"templates": [{"id": "accepted.citizen", "event": "accepted", "audience": "citizen", "version": 1, "title": {"zh": "a"}, "body": {"zh": "b"}}]}""", "audience")]
    [InlineData("""{"templates": [{"id": "accepted.applicant", "event": "accepted", "audience": "applicant", "version": 0, "title": {"zh": "a"}, "body": {"zh": "b"}}]}""", "version")]
    [InlineData("""{"templates": [{"id": "accepted.applicant", "event": "accepted", "audience": "applicant", "version": 1, "title": {"zh": " "}, "body": {"zh": "b"}}]}""", "Chinese")]
    public void ABrokenTemplate_FailsToLoad_SayingWhy(string json, string expected)
    {
        Assert.Contains(expected, Assert.Throws<FormatException>(() => TemplateCatalog.Parse(json)).Message);
    }

    [Fact]
    public void Fill_WithAMissingValue_Throws()
    {
        Assert.Throws<KeyNotFoundException>(() => Placeholders.Fill("{caseNumber}", new Dictionary<string, string>()));
    }
}
