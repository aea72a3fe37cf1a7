using System.Diagnostics;
using System.Text.Json;

namespace Ali.Serverless.Infra.Tests;

/// <summary>
/// What `azd deploy` packages (decision 24): a publish of the Functions app targets Linux x64, framework-dependent,
/// without an apphost; a build stays portable (the tests run on it); AliPublishRuntime=portable keeps the old
/// package for the Windows Consumption plan. Read from MSBuild's evaluation, so no publish runs here.
/// </summary>
public sealed class PublishTests
{
    private static readonly string Project = Path.Combine(BicepCli.RepositoryRoot, "functions", "Ali.Serverless.Functions", "Ali.Serverless.Functions.csproj");

    private static Dictionary<string, string> Evaluate(params string[] properties)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "msbuild", Project, "-getProperty:RuntimeIdentifier", "-getProperty:SelfContained", "-getProperty:UseAppHost" }.Concat(properties.Select(p => $"-p:{p}")))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output + process.StandardError.ReadToEnd());
        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }

    [Fact]
    public void APublish_TargetsLinuxX64_FrameworkDependent_WithoutAnAppHost()
    {
        var published = Evaluate("_IsPublishing=true");

        Assert.Equal("linux-x64", published["RuntimeIdentifier"]);
        Assert.Equal("false", published["SelfContained"]);
        Assert.Equal("false", published["UseAppHost"]);
    }

    [Fact]
    public void ABuild_StaysPortable_AndSoDoesAPublishAskedToBe()
    {
        Assert.Equal("", Evaluate()["RuntimeIdentifier"]);
        Assert.Equal("", Evaluate("_IsPublishing=true", "AliPublishRuntime=portable")["RuntimeIdentifier"]);
    }

    [Fact]
    public void AzdDeploysTheFunctionsProject_SoItsPublishProperties_Apply()
    {
        var azureYaml = File.ReadAllText(Path.Combine(BicepCli.RepositoryRoot, "azure.yaml"));

        Assert.Contains("project: ./functions/Ali.Serverless.Functions", azureYaml, StringComparison.Ordinal);
        Assert.Contains("host: function", azureYaml, StringComparison.Ordinal);
    }
}
