using System.Text.Json.Nodes;

namespace Ali.Serverless.Infra.Tests;

/// <summary>Parameter files and the compiled template work for both clouds and carry nothing secret.</summary>
[Collection(InfraCollection.Name)]
public sealed class ParameterFileTests(InfraFixture infra)
{
    [Fact]
    public void CompiledTemplates_ContainNoCloudSpecificHost()
    {
        foreach (var (file, compiled) in infra.CompiledTemplates)
        {
            Assert.True(compiled is not null, file);
            Assert.True(CloudLiterals.FindIn(compiled).Count == 0, $"{file}: {string.Join(", ", CloudLiterals.FindIn(compiled))}");
        }
    }

    [Fact]
    public void CompiledTemplates_ContainNoSecret()
    {
        foreach (var (file, compiled) in infra.CompiledTemplates)
        {
            Assert.True(SecretPatterns.FindIn(compiled!).Count == 0, $"{file}: {string.Join(", ", SecretPatterns.FindIn(compiled!))}");
        }
    }

    [Fact]
    public void ParameterFiles_SetOnlyTemplateParameters()
    {
        var declared = infra.Main["parameters"]!.AsObject().Select(p => p.Key).ToHashSet();
        var files = infra.CompiledParameters.Select(p => (p.Key, p.Value))
            .Append(("main.parameters.json", JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "main.parameters.json")))));

        foreach (var (file, compiled) in files)
        {
            var set = compiled!["parameters"]!.AsObject().Select(p => p.Key).ToList();
            Assert.True(set.All(declared.Contains), $"{file} sets unknown parameters: {string.Join(", ", set.Where(p => !declared.Contains(p)))}");
            var required = infra.Main["parameters"]!.AsObject().Where(p => p.Value!["defaultValue"] is null).Select(p => p.Key);
            Assert.True(required.All(set.Contains), $"{file} misses required parameters");
        }
    }

    [Fact]
    public void Production_DeploysToAzureChina_OnAPlanOfferedThere()
    {
        var prod = infra.CompiledParameters["main.prod.bicepparam"]!["parameters"]!;

        Assert.StartsWith("china", (string?)prod["location"]!["value"], StringComparison.Ordinal);
        Assert.NotEqual("FlexConsumption", (string?)prod["hostingPlan"]!["value"]);
    }

    [Fact]
    public void Development_UsesFlexConsumption_TheDefault()
    {
        var dev = infra.CompiledParameters["main.dev.bicepparam"]!["parameters"]!;

        Assert.Equal("FlexConsumption", (string?)dev["hostingPlan"]!["value"]);
        Assert.Equal("FlexConsumption", (string?)infra.Main["parameters"]!["hostingPlan"]!["defaultValue"]);
    }

    [Fact]
    public void PortalOrigins_AreNeverAWildcard()
    {
        foreach (var (file, compiled) in infra.CompiledParameters)
        {
            var origins = compiled!["parameters"]!["portalOrigins"]!["value"]!.AsArray().Select(o => (string?)o).ToList();
            Assert.NotEmpty(origins);
            Assert.DoesNotContain("*", origins);
        }
    }

    [Fact]
    public void AzureYaml_DeploysTheFunctionsProjectAsServiceApi()
    {
        var yaml = File.ReadAllText(Path.Combine(BicepCli.RepositoryRoot, "azure.yaml"));

        Assert.Contains("  api:", yaml, StringComparison.Ordinal);
        Assert.Contains("project: ./functions/Ali.Serverless.Functions", yaml, StringComparison.Ordinal);
        Assert.Contains("language: dotnet", yaml, StringComparison.Ordinal);
        Assert.Contains("host: function", yaml, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(BicepCli.RepositoryRoot, "functions/Ali.Serverless.Functions/Ali.Serverless.Functions.csproj")));
        var site = Assert.Single(ArmTemplate.OfType(infra.Main, "Microsoft.Web/sites"));
        Assert.Contains("azd-service-name", site.Body["tags"]!.ToString(), StringComparison.Ordinal);
    }
}
