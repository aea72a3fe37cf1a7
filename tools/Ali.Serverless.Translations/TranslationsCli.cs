using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ali.Serverless.Translations;

/// <summary>
/// The commands: <c>export</c>, <c>import</c>, <c>report</c>. Exit codes: 0 done (a report always), 1 refused
/// or the data is not as expected (nothing written), 2 the command line is wrong.
/// </summary>
public static class TranslationsCli
{
    public const int Done = 0;
    public const int Refused = 1;
    public const int Usage = 2;

    private const string UsageText = """
        Usage (see docs/translations.md):
          export --out <file.xlf> [--repo <root>]   every text to XLIFF 2.0 (zh -> bo), for translators
          import <file.xlf> [--repo <root>]         the Tibetan targets back into the data files
          report [--json] [--repo <root>]           how many texts lack Tibetan, and which
        The repository root defaults to the nearest folder upwards holding Ali.Serverless.sln.
        """;

    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static int Run(string[] args, TextWriter output, TextWriter error, string currentDirectory) =>
        Run(args, output, error, currentDirectory, TextSources.All);

    public static int Run(string[] args, TextWriter output, TextWriter error, string currentDirectory, IReadOnlyList<TextSource> sources)
    {
        if (!CommandLine.TryParse(args, out var command, out var problem))
        {
            error.WriteLine(problem);
            error.WriteLine(UsageText);
            return Usage;
        }
        var root = command.Repository is { } repo ? Path.GetFullPath(repo, currentDirectory) : FindRepository(currentDirectory);
        if (root is null || !Directory.Exists(root))
        {
            error.WriteLine(root is null
                ? $"No Ali.Serverless.sln in {currentDirectory} or above it: run from the repository or pass --repo <root>."
                : $"The repository folder {root} does not exist.");
            return Usage;
        }
        try
        {
            return command.Name switch
            {
                "export" => Export(root, Path.GetFullPath(command.Out!, currentDirectory), sources, output),
                "import" => Import(root, Path.GetFullPath(command.File!, currentDirectory), sources, output, error),
                _ => Report(root, command.Json, sources, output),
            };
        }
        catch (Exception e) when (e is TranslationDataException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine(e.Message);
            return Refused;
        }
    }

    private static int Export(string root, string outFile, IReadOnlyList<TextSource> sources, TextWriter output)
    {
        var inventory = TextInventory.Read(root, sources);
        Directory.CreateDirectory(Path.GetDirectoryName(outFile)!);
        using (var stream = File.Create(outFile))
        {
            Xliff.Write(inventory, stream);
        }
        var missing = inventory.Texts.Count(t => t.LacksTibetan);
        output.WriteLine($"Exported {inventory.Texts.Count} texts ({missing} without Tibetan) from {inventory.Texts.Select(t => t.File).Distinct().Count()} files to {outFile}.");
        return Done;
    }

    private static int Import(string root, string file, IReadOnlyList<TextSource> sources, TextWriter output, TextWriter error)
    {
        if (!File.Exists(file))
        {
            error.WriteLine($"{file} does not exist.");
            return Usage;
        }
        var outcome = TranslationImport.Run(root, file, sources);
        if (outcome.Refusals.Count > 0)
        {
            foreach (var refusal in outcome.Refusals)
            {
                error.WriteLine(refusal);
            }
            error.WriteLine($"Import refused ({outcome.Refusals.Count} unit(s)); no file was changed.");
            return Refused;
        }
        output.WriteLine($"Imported {outcome.Added + outcome.Revised} Tibetan texts ({outcome.Added} new, {outcome.Revised} revised) into {outcome.FilesWritten.Count} files.");
        foreach (var written in outcome.FilesWritten)
        {
            output.WriteLine($"  wrote {written}");
        }
        foreach (var version in outcome.VersionsRaised)
        {
            output.WriteLine($"  template version {version}");
        }
        output.WriteLine($"Left alone: {outcome.WithoutTarget} units without a target, {outcome.Current} already current, "
            + $"{outcome.CopiedSource} whose target is the Chinese source copied unchanged.");
        return Done;
    }

    private static int Report(string root, bool json, IReadOnlyList<TextSource> sources, TextWriter output)
    {
        var coverage = CoverageReport.Of(TextInventory.Read(root, sources), sources);
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(
                new { texts = coverage.Sum(c => c.Texts), missing = coverage.Sum(c => c.Missing), sources = coverage },
                ReportJson));
            return Done;
        }
        output.WriteLine("Tibetan (bo) coverage. A text without Tibetan is shown in Chinese at run time.");
        output.WriteLine();
        output.WriteLine($"{"source",-12}{"texts",8}{"without bo",12}");
        foreach (var c in coverage)
        {
            output.WriteLine($"{c.Source,-12}{c.Texts,8}{c.Missing,12}");
        }
        output.WriteLine($"{"all",-12}{coverage.Sum(c => c.Texts),8}{coverage.Sum(c => c.Missing),12}");
        if (coverage.Any(c => c.Missing > 0))
        {
            output.WriteLine();
            output.WriteLine("Without Tibetan:");
            foreach (var id in coverage.SelectMany(c => c.MissingIds))
            {
                output.WriteLine(id);
            }
        }
        return Done;
    }

    private static string? FindRepository(string from)
    {
        for (var directory = new DirectoryInfo(from); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ali.Serverless.sln")))
            {
                return directory.FullName;
            }
        }
        return null;
    }

    private sealed record CommandLine(string Name, string? File, string? Out, string? Repository, bool Json)
    {
        public static bool TryParse(string[] args, out CommandLine command, out string problem)
        {
            command = new CommandLine("", null, null, null, false);
            problem = "";
            if (args.Length == 0 || args[0] is not ("export" or "import" or "report"))
            {
                problem = args.Length == 0 ? "No command given." : $"Unknown command '{args[0]}'.";
                return false;
            }
            command = command with { Name = args[0] };
            for (var i = 1; i < args.Length; i++)
            {
                var arg = args[i];
                string? Value() => i + 1 < args.Length ? args[++i] : null;
                switch (arg)
                {
                    case "--repo":
                        command = command with { Repository = Value() ?? "" };
                        break;
                    case "--out" when command.Name == "export":
                        command = command with { Out = Value() ?? "" };
                        break;
                    case "--json" when command.Name == "report":
                        command = command with { Json = true };
                        break;
                    case not null when command.Name == "import" && !arg.StartsWith("--", StringComparison.Ordinal) && command.File is null:
                        command = command with { File = arg };
                        break;
                    default:
                        problem = $"'{arg}' is not an option of {command.Name}.";
                        return false;
                }
            }
            problem = command switch
            {
                { Repository: "" } => "--repo needs a folder.",
                { Name: "export", Out: null or "" } => "export needs --out <file.xlf>.",
                { Name: "import", File: null } => "import needs the XLIFF file to read.",
                _ => "",
            };
            return problem.Length == 0;
        }
    }
}
