using System.Text.Json.Nodes;

namespace Ali.Serverless.Infra.Tests;

/// <summary>
/// Compiles infra/ once per test run: a copy of the folder goes to a temp directory, where the Bicep
/// CLI builds every .bicep file and every .bicepparam file and lints every .bicep file.
/// </summary>
public sealed class InfraFixture : IDisposable
{
    /// <summary>Values the parameter files read from the environment (the operator sets them in real use).</summary>
    public static readonly IReadOnlyDictionary<string, string> ParameterEnvironment = new Dictionary<string, string>
    {
        ["ALI_PORTAL_ORIGINS"] = "https://portal.example.test,https://staff.example.test",
        ["ALI_AUTH_ISSUER"] = "https://issuer.example.test/",
        ["ALI_AUTH_AUDIENCE"] = "api://ali-serverless-test",
        ["ALI_AUTH_METADATA_ADDRESS"] = "https://issuer.example.test/.well-known/openid-configuration",
    };

    private readonly string _workDirectory;

    public InfraFixture()
    {
        _workDirectory = Directory.CreateTempSubdirectory("ali-infra-tests-").FullName;
        CopyDirectory(BicepCli.InfraDirectory, _workDirectory);

        BicepFiles = Directory.GetFiles(_workDirectory, "*.bicep", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_workDirectory, f)).Order().ToList();
        ParameterFiles = Directory.GetFiles(_workDirectory, "*.bicepparam", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_workDirectory, f)).Order().ToList();

        // Runs one after the other: the machine is small and each call is about a second.
        Build = BicepCli.Run(_workDirectory, ParameterEnvironment, "build", "--pattern", "**/*.bicep");
        BuildParams = BicepCli.Run(_workDirectory, ParameterEnvironment, "build-params", "--pattern", "**/*.bicepparam");
        Lint = BicepCli.Run(_workDirectory, ParameterEnvironment, "lint", "--pattern", "**/*.bicep");

        CompiledTemplates = BicepFiles.ToDictionary(f => f, f => LoadIfPresent(Path.ChangeExtension(f, ".json")));
        CompiledParameters = ParameterFiles.ToDictionary(f => f, f => LoadIfPresent(Path.ChangeExtension(f, ".json")));
        Main = CompiledTemplates.GetValueOrDefault("main.bicep")
            ?? throw new InvalidOperationException($"main.bicep did not compile:\n{Build.Output}");
    }

    public IReadOnlyList<string> BicepFiles { get; }

    public IReadOnlyList<string> ParameterFiles { get; }

    public BicepRun Build { get; }

    public BicepRun BuildParams { get; }

    public BicepRun Lint { get; }

    /// <summary>Compiled ARM JSON of each .bicep file (null when it did not compile).</summary>
    public IReadOnlyDictionary<string, JsonNode?> CompiledTemplates { get; }

    /// <summary>Compiled parameters JSON of each .bicepparam file (null when it did not compile).</summary>
    public IReadOnlyDictionary<string, JsonNode?> CompiledParameters { get; }

    /// <summary>The compiled main template; tests that change it work on <see cref="MainCopy"/>.</summary>
    public JsonNode Main { get; }

    public JsonNode MainCopy() => Main.DeepClone();

    public void Dispose()
    {
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    private JsonNode? LoadIfPresent(string relativePath)
    {
        var path = Path.Combine(_workDirectory, relativePath);
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) : null;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<InfraFixture>
{
    public const string Name = "Compiled infra";
}
