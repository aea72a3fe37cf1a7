using System.Text.Json;
using Ali.Serverless.Translations.Tests.Support;

namespace Ali.Serverless.Translations.Tests;

/// <summary>The report: per source, how many texts and how many lack Tibetan; then each missing one. Always exit 0.</summary>
public sealed class ReportTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void Report_CountsTextsAndMissingTibetanPerSource()
    {
        var run = _repo.Run("report", "--repo", _repo.Root);

        Assert.Equal(0, run.ExitCode);
        var lines = run.Output.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains("catalog           14          13", lines);
        Assert.Contains("templates          8           8", lines);
        Assert.Contains("terms              2           2", lines);
        Assert.Contains("ui                 3           3", lines);
        Assert.Contains("all               27          26", lines);
    }

    [Fact]
    public void Report_ListsEachTextWithoutTibetan_OnALineOfItsOwn()
    {
        var lines = _repo.Run("report", "--repo", _repo.Root).Output.Split('\n').Select(l => l.TrimEnd()).ToList();

        Assert.Contains("catalog:542500-CSJ-00001:fee:basis", lines);
        Assert.Contains("templates:accepted.applicant:sms", lines);
        Assert.Contains("terms:task.review", lines);
        Assert.DoesNotContain("catalog:542521-CSJ-00001:name", lines);
    }

    [Fact]
    public void Report_Json_ForMachines()
    {
        var run = _repo.Run("report", "--json", "--repo", _repo.Root);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal(27, json.RootElement.GetProperty("texts").GetInt32());
        Assert.Equal(26, json.RootElement.GetProperty("missing").GetInt32());
        var terms = json.RootElement.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("source").GetString() == "terms");
        Assert.Equal(2, terms.GetProperty("texts").GetInt32());
        Assert.Equal(["terms:outcome.approve", "terms:task.review"], terms.GetProperty("missingIds").EnumerateArray().Select(i => i.GetString()));
    }

    [Fact]
    public void Report_AfterAnImport_CountsTheNewTibetan()
    {
        var xliff = _repo.Export();
        xliff.Unit("terms:outcome.approve").FillWithTestData();
        xliff.Unit("templates:accepted.applicant:body").FillWithTestData();
        xliff.Unit("catalog:542500-CSJ-00002:name").FillWithTestData();
        Assert.Equal(0, _repo.Import(xliff).ExitCode);

        var run = _repo.Run("report", "--repo", _repo.Root);

        var lines = run.Output.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains("catalog           14          12", lines);
        Assert.Contains("templates          8           7", lines);
        Assert.Contains("terms              2           1", lines);
        Assert.Contains("all               27          23", lines);
        Assert.DoesNotContain("terms:outcome.approve", lines);
    }

    [Fact]
    public void Report_AllTranslated_ListsNothingMissing()
    {
        var xliff = _repo.Export();
        foreach (var unit in xliff.Units())
        {
            unit.FillWithTestData();
        }
        Assert.Equal(0, _repo.Import(xliff).ExitCode);

        var run = _repo.Run("report", "--repo", _repo.Root);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("all               27           0", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Without Tibetan:", run.Output, StringComparison.Ordinal);
    }
}
