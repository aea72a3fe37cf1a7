using System.Security.Cryptography;
using System.Xml.Linq;

namespace Ali.Serverless.Translations.Tests.Support;

/// <summary>
/// A temporary copy of the fixture data files, laid out as in the repository, and the tool run in process against it.
/// </summary>
public sealed class TestRepository : IDisposable
{
    /// <summary>
    /// Marks every target the tests write: test data, not Tibetan. The letters after it are the first four of the
    /// Tibetan alphabet, there only to show the files keep the script unescaped.
    /// </summary>
    public const string TestMarker = "[TEST DATA, not a translation] ཀཁགང";

    public const string CatalogA = "functions/Ali.Serverless.Functions/Catalog/542500-csj.json";
    public const string CatalogB = "functions/Ali.Serverless.Functions/Catalog/542521-csj.json";
    public const string Templates = "functions/Ali.Serverless.Functions/Notifications/templates.json";

    /// <summary>The UI strings are kept one file per language; the export names the Tibetan one, which the import writes.</summary>
    public const string UiTibetan = "web/src/i18n/bo.json";

    public static readonly IReadOnlyList<string> DataFiles = [CatalogA, CatalogB, Templates, UiTibetan];

    private readonly string _work = Directory.CreateTempSubdirectory("ali-translations-").FullName;

    public TestRepository()
    {
        Root = Path.Combine(_work, "repo");
        var fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        foreach (var file in Directory.EnumerateFiles(fixtures, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(Root, Path.GetRelativePath(fixtures, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }

    public string Root { get; }

    /// <summary>A path for an exchange file, outside the repository copy.</summary>
    public string Xliff(string name = "texts.xlf") => Path.Combine(_work, name);

    public void Dispose() => Directory.Delete(_work, recursive: true);

    public string Read(string file) => File.ReadAllText(Path.Combine(Root, file));

    public void Write(string file, string text) => File.WriteAllText(Path.Combine(Root, file), text);

    /// <summary>A hash of every file of the repository copy, to show a refused import changed none.</summary>
    public IReadOnlyDictionary<string, string> Snapshot() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(Root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    public ToolRun Run(params string[] args) => ToolRun.Of(args, Root);

    public XDocument Export()
    {
        var run = Run("export", "--out", Xliff(), "--repo", Root);
        Assert.True(run.ExitCode == 0, run.Error);
        return XDocument.Load(Xliff(), LoadOptions.PreserveWhitespace);
    }

    public ToolRun Import(XDocument xliff)
    {
        xliff.Save(Xliff("filled.xlf"), SaveOptions.DisableFormatting);
        return Run("import", Xliff("filled.xlf"), "--repo", Root);
    }
}

/// <summary>One run of the tool: its exit code and what it printed.</summary>
public sealed record ToolRun(int ExitCode, string Output, string Error)
{
    public static ToolRun Of(string[] args, string currentDirectory)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = TranslationsCli.Run(args, output, error, currentDirectory);
        return new ToolRun(exit, output.ToString(), error.ToString());
    }
}
