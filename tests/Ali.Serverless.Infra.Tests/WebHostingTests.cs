using System.Text.Json.Nodes;

namespace Ali.Serverless.Infra.Tests;

/// <summary>
/// The web front ends' static website: its own storage account, its origin allowed by the API's and the
/// materials' CORS, its endpoint taken from the account (so Azure China gets its own domain), and the
/// azd hook that publishes the pages.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class WebHostingTests(InfraFixture infra)
{
    private JsonObject Web => ArmTemplate.ModuleTemplate(infra.Main, "web");

    [Fact]
    public void TheStaticWebsite_IsAStorageAccountOfItsOwn_WithNoKeysAndNoPublicContainers()
    {
        var account = Assert.Single(ArmTemplate.OfType(Web, "Microsoft.Storage/storageAccounts"));
        Assert.Equal("StorageV2", (string?)account.Body["kind"]);
        Assert.False(account.Get("properties.allowSharedKeyAccess")!.GetValue<bool>());
        Assert.False(account.Get("properties.allowBlobPublicAccess")!.GetValue<bool>());
        Assert.Equal("[format('stweb{0}', variables('token'))]", (string?)infra.Main["resources"]!["web"]?["properties"]?["parameters"]?["name"]?["value"]
            ?? ArmTemplate.ModuleParameter(infra.Main, "web", "name")?.ToString());
        Assert.NotEqual(
            ArmTemplate.ModuleParameter(infra.Main, "storage", "name")?.ToString(),
            ArmTemplate.ModuleParameter(infra.Main, "web", "name")?.ToString());
    }

    [Fact]
    public void TheEndpoint_ComesFromTheAccount_SoBothCloudsGetTheirOwnDomain()
    {
        var outputs = Web["outputs"]!.AsObject();
        Assert.Contains("primaryEndpoints.web", (string?)outputs["endpoint"]!["value"], StringComparison.Ordinal);
        Assert.Contains("primaryEndpoints.web", (string?)outputs["origin"]!["value"], StringComparison.Ordinal);
        var compiled = Web.ToJsonString();
        Assert.DoesNotContain("core.windows.net", compiled, StringComparison.Ordinal);
        Assert.DoesNotContain("chinacloudapi.cn", compiled, StringComparison.Ordinal);
        Assert.NotNull(infra.Main["outputs"]!["WEB_STORAGE_ACCOUNT_NAME"]);
        Assert.NotNull(infra.Main["outputs"]!["WEB_ENDPOINT"]);
    }

    [Theory]
    [InlineData("functionapp")]
    [InlineData("storage")]
    public void TheStaticWebsitesOrigin_IsAllowedByCors_BesideThePortalOrigins(string module)
    {
        var origins = ArmTemplate.ModuleParameter(infra.Main, module, "portalOrigins")?.ToString() ?? "";

        Assert.Contains("parameters('portalOrigins')", origins, StringComparison.Ordinal);
        Assert.Contains("'web'", origins, StringComparison.Ordinal);
        Assert.Contains("outputs.origin.value", origins, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDeployer_MayWriteBlobsInTheWebAccountOnly()
    {
        var grant = Assert.Single(ArmTemplate.OfType(Web, "Microsoft.Authorization/roleAssignments"));
        Assert.Contains("variables('blobDataContributor')", grant.Get("properties.roleDefinitionId")!.ToString(), StringComparison.Ordinal);
        Assert.Equal("ba92f5b4-2d11-453d-a403-e96b0029c9fe", (string?)Web["variables"]!["blobDataContributor"]);
        Assert.Equal("Microsoft.Storage/storageAccounts", grant.ScopeType);
        Assert.Equal("[parameters('deployerPrincipalId')]", (string?)grant.Get("properties.principalId"));
    }

    [Fact]
    public void AzdPublishesThePages_AfterDeploy_WithTheirOidcConfiguration()
    {
        var azureYaml = File.ReadAllText(Path.Combine(BicepCli.RepositoryRoot, "azure.yaml"));
        Assert.Contains("postdeploy:", azureYaml, StringComparison.Ordinal);
        Assert.Contains("run: ./scripts/deploy-web.sh", azureYaml, StringComparison.Ordinal);

        var script = File.ReadAllText(Path.Combine(BicepCli.RepositoryRoot, "scripts", "deploy-web.sh"));
        // Every output and setting the script reads exists: the outputs in main.bicep, the settings documented.
        foreach (var output in new[] { "WEB_STORAGE_ACCOUNT_NAME", "SERVICE_API_URI" })
        {
            Assert.Contains(output, script, StringComparison.Ordinal);
            Assert.NotNull(infra.Main["outputs"]![output]);
        }
        Assert.Contains("\"signIn\": \"oidc\"", script, StringComparison.Ordinal);
        Assert.Contains("--auth-mode login", script, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", script.Replace("no secret", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }
}
