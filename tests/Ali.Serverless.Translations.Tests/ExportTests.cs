using System.Xml;
using System.Xml.Linq;
using Ali.Serverless.Translations.Tests.Support;

namespace Ali.Serverless.Translations.Tests;

/// <summary>The export: one XLIFF 2.0 file, zh to bo, one unit per text with an id that says where it lives.</summary>
public sealed class ExportTests : IDisposable
{
    private static readonly XNamespace Ns = XliffEditing.Ns;

    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void Export_IsXliff20FromChineseToTibetan()
    {
        var root = _repo.Export().Root!;

        Assert.Equal(Ns + "xliff", root.Name);
        Assert.Equal("2.0", (string?)root.Attribute("version"));
        Assert.Equal("zh", (string?)root.Attribute("srcLang"));
        Assert.Equal("bo", (string?)root.Attribute("trgLang"));
    }

    [Fact]
    public void Export_HasOneFilePerDataFile_NamedByItsPath()
    {
        var files = _repo.Export().Root!.Elements(Ns + "file").ToList();

        Assert.Equal(TestRepository.DataFiles, files.Select(f => (string?)f.Attribute("original")));
        Assert.Equal(files.Count, files.Select(f => (string?)f.Attribute("id")).Distinct().Count());
        Assert.All(files, f => Assert.Equal("no", (string?)f.Attribute("canResegment")));
    }

    [Fact]
    public void Export_UnitIdsAreUniqueXmlNameTokens()
    {
        var ids = _repo.Export().Units().Select(u => u.Id()).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        // XLIFF 2.0 declares unit ids as xs:NMTOKEN: no '/' or spaces.
        Assert.All(ids, id => XmlConvert.VerifyNMTOKEN(id));
    }

    [Fact]
    public void Export_UnitIdSaysWhereEachTextLives()
    {
        var ids = _repo.Export().Units().Select(u => u.Id());

        Assert.Equal(
            [
                "catalog:542500-CSJ-00001:name",
                "catalog:542500-CSJ-00001:description",
                "catalog:542500-CSJ-00001:departmentName",
                "catalog:542500-CSJ-00001:legalBasis",
                "catalog:542500-CSJ-00001:fee:basis",
                "catalog:542500-CSJ-00001:materials:M01:name",
                "catalog:542500-CSJ-00001:materials:M01:issuingBody",
                "catalog:542500-CSJ-00001:materials:M02:name",
                "catalog:542500-CSJ-00002:name",
                "catalog:542500-CSJ-00002:departmentName",
                "catalog:542500-CSJ-00002:materials:M01:name",
                "catalog:542521-CSJ-00001:name",
                "catalog:542521-CSJ-00001:departmentName",
                "catalog:542521-CSJ-00001:materials:M01:name",
                "templates:accepted.applicant:title",
                "templates:accepted.applicant:body",
                "templates:accepted.applicant:sms",
                "templates:supplement-requested.applicant:title",
                "templates:supplement-requested.applicant:body",
                "templates:supplement-requested.applicant:sms",
                "templates:task-assigned.department:title",
                "templates:task-assigned.department:body",
                "terms:outcome.approve",
                "terms:task.review",
                "ui:nav.catalog",
                "ui:catalog.count",
                "ui:status.completed",
            ],
            ids);
    }

    [Fact]
    public void Export_SourceIsTheChinese_WithPlaceholdersAsPhThatMayNotBeDeleted()
    {
        var source = _repo.Export().Unit("templates:accepted.applicant:body").Source();

        Assert.Equal("您的办件{caseNumber}（{itemName}）已受理，承诺于{dueDate}前办结。", source.Text());
        var phs = source.Elements(Ns + "ph").ToList();
        Assert.Equal(["{caseNumber}", "{itemName}", "{dueDate}"], phs.Select(p => (string?)p.Attribute("equiv")));
        Assert.All(phs, p => Assert.Equal("no", (string?)p.Attribute("canDelete")));
        Assert.Equal(3, phs.Select(p => (string?)p.Attribute("id")).Distinct().Count());
    }

    [Fact]
    public void Export_KeepsLineBreaksQuotesAndBackslashes()
    {
        var xliff = _repo.Export();

        Assert.Equal("您的办件{caseNumber}需要补齐补正以下材料：\n{materials}\n请上传后重新提交。",
            xliff.Unit("templates:supplement-requested.applicant:body").Source().Text());
        Assert.Equal("用于测试翻译工具的事项，含引号\"和反斜杠\\。", xliff.Unit("catalog:542500-CSJ-00001:description").Source().Text());
    }

    [Fact]
    public void Export_NotesGiveTheContext()
    {
        var xliff = _repo.Export();

        var material = Notes(xliff.Unit("catalog:542500-CSJ-00001:materials:M01:issuingBody"));
        Assert.Contains("542500-CSJ-00001", material["context"]);
        Assert.Contains("测试事项甲", material["context"]);
        Assert.Contains("阿里地区测试局", material["context"]);
        Assert.Contains("M01「申请人居民身份证」", material["context"]);
        Assert.DoesNotContain("placeholders", material.Keys);

        var sms = Notes(xliff.Unit("templates:accepted.applicant:sms"));
        Assert.Contains("event accepted", sms["context"]);
        Assert.Contains("audience applicant", sms["context"]);
        Assert.Contains("SMS", sms["context"]);
        Assert.Contains("{caseNumber}, {dueDate}", sms["placeholders"]);
    }

    [Fact]
    public void Export_ExistingTibetanIsTheTarget_AndOnlyThere()
    {
        var xliff = _repo.Export();

        var translated = xliff.Unit("catalog:542521-CSJ-00001:name");
        Assert.Equal("[TEST DATA] existing bo, not Tibetan", translated.Target()!.Text());
        Assert.Equal("translated", (string?)translated.Element(Ns + "segment")!.Attribute("state"));
        Assert.Single(xliff.Units(), u => u.Target() is not null);
    }

    private static Dictionary<string, string> Notes(XElement unit) =>
        unit.Element(Ns + "notes")!.Elements(Ns + "note").ToDictionary(n => (string)n.Attribute("category")!, n => n.Value);
}
