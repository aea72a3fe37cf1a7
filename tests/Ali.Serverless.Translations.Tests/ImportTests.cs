using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Ali.Serverless.Translations.Tests.Support;

namespace Ali.Serverless.Translations.Tests;

/// <summary>The round trip: export, fill the targets, import; the data files then carry them as bo and nothing else changed.</summary>
public sealed partial class ImportTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void RoundTrip_EveryFilledTargetBecomesTheTextsBo()
    {
        var xliff = _repo.Export();
        var expected = xliff.Units().ToDictionary(u => u.Id(), u => u.FillWithTestData());

        var run = _repo.Import(xliff);

        Assert.True(run.ExitCode == 0, run.Error);
        var inventory = TextInventory.Read(_repo.Root, TextSources.All);
        Assert.Equal(expected.Count, inventory.Texts.Count);
        Assert.All(inventory.Texts, t => Assert.Equal(expected[t.Id], t.Bo));
    }

    [Fact]
    public void RoundTrip_RaisesTheVersionOfEachTemplateWithNewTibetanOnce()
    {
        var xliff = _repo.Export();
        foreach (var unit in xliff.Units().Where(u => !u.Id().StartsWith("templates:task-assigned.", StringComparison.Ordinal)))
        {
            unit.FillWithTestData();
        }

        var run = _repo.Import(xliff);

        Assert.True(run.ExitCode == 0, run.Error);
        // Three texts each of accepted and supplement-requested changed: one step each. task-assigned had none.
        Assert.Equal(new Dictionary<string, int> { ["accepted.applicant"] = 2, ["supplement-requested.applicant"] = 4, ["task-assigned.department"] = 2 },
            TemplateVersions());
    }

    [Fact]
    public void RoundTrip_ChangesNothingButTheAddedBoAndTheVersions()
    {
        // The {zh, bo} files; the UI strings' Tibetan file is written whole (the test after this one).
        var pairFiles = TestRepository.DataFiles.Where(f => f != TestRepository.UiTibetan).ToList();
        var before = pairFiles.ToDictionary(f => f, _repo.Read);
        var xliff = _repo.Export();
        foreach (var unit in xliff.Units())
        {
            unit.FillWithTestData();
        }

        Assert.Equal(0, _repo.Import(xliff).ExitCode);

        foreach (var file in pairFiles)
        {
            var after = _repo.Read(file);
            // Take out each "bo" line (the one the fixture had, too) and put the old versions back: what is left
            // is the file as it was.
            var withoutBo = BoProperty().Replace(after, "");
            var versions = new Queue<string>(Version().Matches(before[file]).Select(m => m.Value));
            var restored = Version().Replace(withoutBo, _ => versions.Dequeue());
            Assert.Equal(BoProperty().Replace(before[file], ""), restored);
            Assert.Contains($"\"bo\": \"{TestRepository.TestMarker}", after, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Import_OfUiStrings_WritesTheTibetanFile_InTheChineseFilesOrder_AndLeavesTheChineseFileAlone()
    {
        var zhBefore = _repo.Read("web/src/i18n/zh.json");
        var xliff = _repo.Export();
        foreach (var unit in xliff.Units().Where(u => u.Id() is "ui:status.completed" or "ui:catalog.count"))
        {
            unit.FillWithTestData();
        }

        Assert.Equal(0, _repo.Import(xliff).ExitCode);

        Assert.Equal(zhBefore, _repo.Read("web/src/i18n/zh.json"));
        var bo = _repo.Read(TestRepository.UiTibetan);
        Assert.StartsWith("{\n  \"catalog.count\": \"" + TestRepository.TestMarker, bo, StringComparison.Ordinal);
        Assert.Contains("{n}", bo, StringComparison.Ordinal);
        Assert.True(bo.IndexOf("catalog.count", StringComparison.Ordinal) < bo.IndexOf("status.completed", StringComparison.Ordinal));
        Assert.DoesNotContain("nav.catalog", bo, StringComparison.Ordinal);
        var report = _repo.Run("report", "--repo", _repo.Root);
        Assert.Contains("ui                 3           1", report.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_WritesTibetanUnescaped_WithTheFilesIndentation()
    {
        var xliff = _repo.Export();
        xliff.Unit("catalog:542500-CSJ-00001:materials:M01:issuingBody").FillWithTestData();

        Assert.Equal(0, _repo.Import(xliff).ExitCode);

        Assert.Contains(
            "          \"issuingBody\": {\n            \"zh\": \"公安机关\",\n            \"bo\": \"" + TestRepository.TestMarker + "\"\n          },",
            _repo.Read(TestRepository.CatalogA), StringComparison.Ordinal);
    }

    [Fact]
    public void Import_TheSameFileTwice_ChangesNothingTheSecondTime()
    {
        var xliff = _repo.Export();
        foreach (var unit in xliff.Units())
        {
            unit.FillWithTestData();
        }
        Assert.Equal(0, _repo.Import(xliff).ExitCode);
        var once = _repo.Snapshot();

        var again = _repo.Import(xliff);

        Assert.Equal(0, again.ExitCode);
        Assert.Equal(once, _repo.Snapshot());
        Assert.Contains("0 new, 0 revised", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_RevisedTibetan_ReplacesTheOldInPlace()
    {
        var xliff = _repo.Export();
        var expected = xliff.Unit("catalog:542521-CSJ-00001:name").FillWithTestData();

        var run = _repo.Import(xliff);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("0 new, 1 revised", run.Output, StringComparison.Ordinal);
        Assert.Contains($"\"zh\": \"测试事项丙\",\n        \"bo\": \"{expected}\"\n      }},", _repo.Read(TestRepository.CatalogB), StringComparison.Ordinal);
        Assert.DoesNotContain("existing bo", _repo.Read(TestRepository.CatalogB), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" \n\t ")]
    public void Import_TargetOfWhitespaceOnly_IsIgnored(string target)
    {
        var xliff = _repo.Export();
        xliff.Unit("templates:accepted.applicant:title").SetTarget(target);
        var before = _repo.Snapshot();

        var run = _repo.Import(xliff);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(before, _repo.Snapshot());
    }

    [Fact]
    public void Import_TargetThatIsTheChineseCopied_IsNotTakenForTibetan()
    {
        var xliff = _repo.Export();
        var unit = xliff.Unit("templates:accepted.applicant:sms");
        unit.SetTarget([.. unit.Source().Nodes().Select(n => n is XElement e ? new XElement(e) : (object)((XText)n).Value)]);
        var before = _repo.Snapshot();

        var run = _repo.Import(xliff);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(before, _repo.Snapshot());
        Assert.Contains("1 whose target is the Chinese source", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_PlaceholderWrittenAsPlainText_CountsAsThePlaceholder()
    {
        var xliff = _repo.Export();
        xliff.Unit("terms:task.review").SetTarget(TestRepository.TestMarker);
        xliff.Unit("templates:supplement-requested.applicant:sms").SetTarget($"{TestRepository.TestMarker} {{caseNumber}}");

        var run = _repo.Import(xliff);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains($"\"bo\": \"{TestRepository.TestMarker} {{caseNumber}}\"", _repo.Read(TestRepository.Templates), StringComparison.Ordinal);
    }

    [Fact]
    public void Import_TargetWithMarkupOfTranslationTools_IsReadAsItsText()
    {
        var ns = XliffEditing.Ns;
        var xliff = _repo.Export();
        // A term annotation around a word, a code point written as <cp>, and the placeholders by id.
        xliff.Unit("templates:accepted.applicant:sms").SetTarget(
            new XElement(ns + "mrk", new XAttribute("id", "m1"), new XAttribute("type", "term"), TestRepository.TestMarker),
            new XElement(ns + "cp", new XAttribute("hex", "0F40")),
            " ",
            new XElement(ns + "ph", new XAttribute("id", "2")),
            " ",
            new XElement(ns + "ph", new XAttribute("id", "1")));

        var run = _repo.Import(xliff);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains($"\"bo\": \"{TestRepository.TestMarker}ཀ {{dueDate}} {{caseNumber}}\"", _repo.Read(TestRepository.Templates), StringComparison.Ordinal);
    }

    private Dictionary<string, int> TemplateVersions() =>
        JsonNode.Parse(_repo.Read(TestRepository.Templates))!["templates"]!.AsArray()
            .ToDictionary(t => (string)t!["id"]!, t => (int)t!["version"]!);

    [GeneratedRegex(@",\n *""bo"": ""(?:[^""\\]|\\.)*""", RegexOptions.CultureInvariant)]
    private static partial Regex BoProperty();

    [GeneratedRegex("\"version\": [0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex Version();
}
