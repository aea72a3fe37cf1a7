using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Ali.Serverless.Translations.Tests.Support;

namespace Ali.Serverless.Translations.Tests;

/// <summary>
/// The real data files, exported read-only: every text of the catalog and the templates file is a unit, and
/// there are exactly as many units as texts. The texts are found here independently of the tool's field list,
/// as every object with a "zh", so a text field added later without a line in TextSources fails this test.
/// </summary>
public sealed class RealRepositoryTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("ali-translations-real-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void Export_OfTheRepository_HasOneUnitPerTextOfTheCatalogTemplatesAndUiStrings()
    {
        var root = FindRepositoryRoot();
        var dataFiles = Directory.EnumerateFiles(Path.Combine(root, TextSources.CatalogFolder), "*.json")
            .Append(Path.Combine(root, TextSources.TemplatesFile))
            .ToList();
        var before = dataFiles.ToDictionary(f => f, Hash);
        var texts = dataFiles.SelectMany(f => ChineseTexts(JsonNode.Parse(File.ReadAllText(f))))
            // The web front ends' UI strings: every value of the Chinese file is a text.
            .Concat(JsonNode.Parse(File.ReadAllText(Path.Combine(root, TextSources.Ui.Location)))!.AsObject().Select(p => p.Value!.GetValue<string>()))
            .ToList();
        var xlf = Path.Combine(_work, "repo.xlf");

        var run = ToolRun.Of(["export", "--out", xlf, "--repo", root], _work);

        Assert.True(run.ExitCode == 0, run.Error);
        var units = XDocument.Load(xlf, LoadOptions.PreserveWhitespace).Units();
        Assert.Equal(texts.Count, units.Count);
        Assert.Equal(texts.Order(StringComparer.Ordinal), units.Select(u => u.Source().Text()).Order(StringComparer.Ordinal));
        Assert.Equal(units.Count, units.Select(u => u.Id()).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(before, dataFiles.ToDictionary(f => f, Hash));
    }

    [Fact]
    public void Report_OfTheRepository_CountsEveryTextAndExitsZero()
    {
        var root = FindRepositoryRoot();

        var run = ToolRun.Of(["report", "--repo", root], _work);

        Assert.Equal(0, run.ExitCode);
        var inventory = TextInventory.Read(root, TextSources.All);
        Assert.Contains($"{inventory.Texts.Count,8}{inventory.Texts.Count(t => t.LacksTibetan),12}", run.Output, StringComparison.Ordinal);
    }

    /// <summary>The "zh" of every object that has one, anywhere in the document.</summary>
    private static IEnumerable<string> ChineseTexts(JsonNode? node) => node switch
    {
        JsonObject o when o["zh"] is JsonValue zh => [zh.GetValue<string>()],
        JsonObject o => o.SelectMany(p => ChineseTexts(p.Value)),
        JsonArray a => a.SelectMany(ChineseTexts),
        _ => [],
    };

    private static string Hash(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Ali.Serverless.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Ali.Serverless.sln not found above the test output.");
    }
}
