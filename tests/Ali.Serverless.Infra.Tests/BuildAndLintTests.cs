namespace Ali.Serverless.Infra.Tests;

/// <summary>The Bicep CLI (pinned NuGet package) builds and lints every file in infra/ with no diagnostics.</summary>
[Collection(InfraCollection.Name)]
public sealed class BuildAndLintTests(InfraFixture infra)
{
    [Fact]
    public void EveryBicepFile_BuildsWithoutWarnings()
    {
        Assert.True(infra.Build.ExitCode == 0, infra.Build.Output);
        Assert.Empty(infra.Build.Diagnostics);
        Assert.All(infra.CompiledTemplates, pair => Assert.True(pair.Value is not null, $"{pair.Key} produced no ARM JSON"));
    }

    [Fact]
    public void EveryParameterFile_BuildsWithoutWarnings()
    {
        Assert.True(infra.BuildParams.ExitCode == 0, infra.BuildParams.Output);
        Assert.Empty(infra.BuildParams.Diagnostics);
        Assert.All(infra.CompiledParameters, pair => Assert.True(pair.Value is not null, $"{pair.Key} produced no parameters JSON"));
    }

    [Fact]
    public void EveryBicepFile_LintsClean()
    {
        Assert.True(infra.Lint.ExitCode == 0, infra.Lint.Output);
        Assert.Empty(infra.Lint.Diagnostics);
    }

    [Fact]
    public void InfraFolder_HasTheExpectedEntryPoints()
    {
        Assert.Contains("main.bicep", infra.BicepFiles);
        Assert.Contains("main.dev.bicepparam", infra.ParameterFiles);
        Assert.Contains("main.prod.bicepparam", infra.ParameterFiles);
        Assert.True(File.Exists(Path.Combine(BicepCli.InfraDirectory, "bicepconfig.json")));
    }

    [Fact]
    public void Linter_TreatsTheImportantRulesAsErrors()
    {
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "bicepconfig.json")))!;
        var rules = config["analyzers"]!["core"]!["rules"]!;

        foreach (var rule in new[] { "no-hardcoded-env-urls", "secure-secrets-in-params", "outputs-should-not-contain-secrets", "no-hardcoded-location", "use-secure-value-for-secure-inputs", "no-unused-params" })
        {
            Assert.Equal("error", (string?)rules[rule]?["level"]);
        }
    }

    [Fact]
    public void Linter_ReportsAHardCodedEndpoint()
    {
        // Proves that the lint run would catch the mistake the cloud-neutrality rules are about.
        var directory = Directory.CreateTempSubdirectory("ali-infra-lint-").FullName;
        try
        {
            File.Copy(Path.Combine(BicepCli.InfraDirectory, "bicepconfig.json"), Path.Combine(directory, "bicepconfig.json"));
            File.WriteAllText(Path.Combine(directory, "bad.bicep"), "output blob string = 'https://x.blob.core.windows.net/'\n");

            var run = BicepCli.Run(directory, new Dictionary<string, string>(), "lint", "bad.bicep");

            Assert.Contains(run.Diagnostics, d => d.Contains("no-hardcoded-env-urls", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
