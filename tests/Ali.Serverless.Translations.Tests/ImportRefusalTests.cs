using System.Xml.Linq;
using Ali.Serverless.Translations.Tests.Support;

namespace Ali.Serverless.Translations.Tests;

/// <summary>
/// What the import refuses: a unit that names no text, a translation of Chinese that has since changed, a target
/// whose placeholders are not the source's. A refusal names the unit, exits non-zero and leaves every file as it
/// was, the good units of the same file included.
/// </summary>
public sealed class ImportRefusalTests : IDisposable
{
    private static readonly XNamespace Ns = XliffEditing.Ns;

    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void Import_UnknownUnitId_IsRefused_AndNoFileChanges()
    {
        var xliff = FilledExport();
        var stray = new XElement(xliff.Unit("catalog:542500-CSJ-00002:name"));
        stray.SetAttributeValue("id", "catalog:542500-CSJ-09999:name");
        xliff.Unit("catalog:542500-CSJ-00002:name").AddAfterSelf(stray);
        var before = _repo.Snapshot();

        var run = _repo.Import(xliff);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("catalog:542500-CSJ-09999:name", run.Error, StringComparison.Ordinal);
        Assert.Contains("no such text", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, _repo.Snapshot());
    }

    [Fact]
    public void Import_ChineseChangedSinceExport_IsRefusedAsStale_AndNoFileChanges()
    {
        var xliff = FilledExport();
        _repo.Write(TestRepository.Templates, _repo.Read(TestRepository.Templates).Replace("申请已受理", "申请已正式受理", StringComparison.Ordinal));
        var before = _repo.Snapshot();

        var run = _repo.Import(xliff);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("templates:accepted.applicant:title", run.Error, StringComparison.Ordinal);
        Assert.Contains("stale", run.Error, StringComparison.Ordinal);
        Assert.Contains("申请已正式受理", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, _repo.Snapshot());
    }

    [Fact]
    public void Import_SourceEditedInTheExchangeFile_IsRefusedAsStale()
    {
        var xliff = FilledExport();
        var source = xliff.Unit("terms:outcome.approve").Source();
        source.Value = "批准";
        var before = _repo.Snapshot();

        var run = _repo.Import(xliff);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("terms:outcome.approve", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, _repo.Snapshot());
    }

    public static TheoryData<string> WrongPlaceholders => new()
    {
        // {dueDate} left out.
        "{caseNumber}",
        // {caseNumber} twice.
        "{caseNumber} {caseNumber} {dueDate}",
        // One the source does not have.
        "{caseNumber} {dueDate} {opinion}",
        // Misspelt: a different name is a different placeholder.
        "{casenumber} {dueDate}",
    };

    [Theory]
    [MemberData(nameof(WrongPlaceholders))]
    public void Import_TargetWithOtherPlaceholdersThanTheSource_IsRefused_AndNoFileChanges(string placeholders)
    {
        var xliff = FilledExport();
        xliff.Unit("templates:accepted.applicant:sms").SetTarget($"{TestRepository.TestMarker} {placeholders}");
        var before = _repo.Snapshot();

        var run = _repo.Import(xliff);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("templates:accepted.applicant:sms", run.Error, StringComparison.Ordinal);
        Assert.Contains("placeholders", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, _repo.Snapshot());
    }

    [Fact]
    public void Import_TargetWithoutAPhOfTheSource_IsRefused()
    {
        var xliff = FilledExport();
        var unit = xliff.Unit("templates:accepted.applicant:body");
        unit.SetTarget(TestRepository.TestMarker, new XElement(Ns + "ph", new XAttribute("id", "1")));
        var before = _repo.Snapshot();

        var run = _repo.Import(xliff);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("templates:accepted.applicant:body", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, _repo.Snapshot());
    }

    [Fact]
    public void Import_EveryRefusalIsNamedAtOnce()
    {
        var xliff = FilledExport();
        xliff.Unit("templates:accepted.applicant:sms").SetTarget(TestRepository.TestMarker);
        xliff.Unit("templates:task-assigned.department:title").SetTarget(TestRepository.TestMarker);

        var run = _repo.Import(xliff);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("templates:accepted.applicant:sms", run.Error, StringComparison.Ordinal);
        Assert.Contains("templates:task-assigned.department:title", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_UnitTwiceInTheFile_IsRefused()
    {
        var xliff = FilledExport();
        var unit = xliff.Unit("terms:task.review");
        unit.AddAfterSelf(new XElement(unit));

        var run = _repo.Import(xliff);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("terms:task.review", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version", "1.2")]
    [InlineData("srcLang", "en")]
    [InlineData("trgLang", "ug")]
    public void Import_FileThatIsNotXliff20FromChineseToTibetan_IsRefused(string attribute, string value)
    {
        var xliff = FilledExport();
        xliff.Root!.SetAttributeValue(attribute, value);
        var before = _repo.Snapshot();

        var run = _repo.Import(xliff);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(value, run.Error, StringComparison.Ordinal);
        Assert.Equal(before, _repo.Snapshot());
    }

    /// <summary>An export with every target filled with test data, which would import cleanly as it is.</summary>
    private XDocument FilledExport()
    {
        var xliff = _repo.Export();
        foreach (var unit in xliff.Units())
        {
            unit.FillWithTestData();
        }
        return xliff;
    }
}
