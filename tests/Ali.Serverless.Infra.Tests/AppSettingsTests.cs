using System.Text.Json.Nodes;
using Ali.Serverless.Functions.Composition;

namespace Ali.Serverless.Infra.Tests;

/// <summary>The app settings the template writes are exactly the ones the code reads, and none holds a secret.</summary>
[Collection(InfraCollection.Name)]
public sealed class AppSettingsTests(InfraFixture infra)
{
    /// <summary>Settings the Functions host (not the app code) reads; the template may write these and no others beyond the code's.</summary>
    public static readonly IReadOnlySet<string> PlatformSettings = new HashSet<string>(StringComparer.Ordinal)
    {
        "FUNCTIONS_EXTENSION_VERSION",
        "FUNCTIONS_WORKER_RUNTIME",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        "WEBSITE_RUN_FROM_PACKAGE",
    };

    [Fact]
    public void AppSettings_AreExactlyWhatTheCodeReads_PlusPlatformSettings()
    {
        var inTemplate = AppSettings(infra.Main).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var codeReadsInAzure = AppSettingNames.All.Except(AppSettingNames.LocalOnly).ToHashSet(StringComparer.Ordinal);

        var missing = codeReadsInAzure.Except(inTemplate).Order().ToList();
        var unknown = inTemplate.Except(codeReadsInAzure).Except(PlatformSettings).Order().ToList();

        Assert.True(missing.Count == 0, $"The code reads settings the template does not write: {string.Join(", ", missing)}");
        Assert.True(unknown.Count == 0, $"The template writes settings nothing reads: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void AppSettings_ContainNoLocalOnlySetting()
    {
        var inTemplate = AppSettings(infra.Main).Select(s => s.Name).ToList();

        Assert.Empty(inTemplate.Intersect(AppSettingNames.LocalOnly));
        Assert.DoesNotContain("AzureWebJobsStorage", inTemplate);
    }

    [Fact]
    public void NoCompiledTemplate_NamesALocalOnlySetting()
    {
        foreach (var (file, compiled) in infra.CompiledTemplates)
        {
            var text = compiled!.ToJsonString();
            foreach (var name in AppSettingNames.LocalOnly)
            {
                Assert.False(text.Contains($"\"{name}\"", StringComparison.Ordinal), $"{file} names the local-only setting {name}");
            }
        }
    }

    [Fact]
    public void AppSettings_HoldNoSecret()
    {
        foreach (var (name, value) in AppSettings(infra.Main))
        {
            Assert.True(SecretPatterns.FindIn(JsonValue.Create(value)).Count == 0, $"{name} looks like it carries a secret: {value}");
        }
    }

    [Fact]
    public void AppSettings_HaveTheValuesTheIssueAsksFor()
    {
        var settings = AppSettings(infra.Main).ToDictionary(s => s.Name, s => s.Value);
        var root = infra.Main;

        Assert.Equal("Cosmos", settings[AppSettingNames.StoreProvider]);
        Assert.Equal("managedidentity", settings[AppSettingNames.StorageCredential]);
        Assert.Equal("[parameters('identityClientId')]", settings[AppSettingNames.StorageClientId]);
        Assert.Equal("[parameters('identityClientId')]", settings[AppSettingNames.ManagedIdentityClientId]);
        Assert.Equal("[parameters('authMetadataAddress')]", settings[AppSettingNames.AuthMetadataAddress]);
        Assert.Equal("[parameters('authIssuer')]", settings[AppSettingNames.AuthIssuer]);
        Assert.Equal("[parameters('authAudience')]", settings[AppSettingNames.AuthAudience]);
        Assert.Equal("[string(parameters('uploadTargetMinutes'))]", settings[AppSettingNames.UploadTargetLifetimeMinutes]);
        Assert.Equal("[string(parameters('readLinkMinutes'))]", settings[AppSettingNames.ReadLinkLifetimeMinutes]);

        // Where each value comes from: resource properties, never a written host.
        Assert.Contains("reference('cosmos')", Passed(root, "functionapp", "cosmosAccountEndpoint"), StringComparison.Ordinal);
        Assert.Contains("reference('storage')", Passed(root, "functionapp", "storageBlobEndpoint"), StringComparison.Ordinal);
        Assert.Contains("reference('storage')", Passed(root, "functionapp", "storageQueueEndpoint"), StringComparison.Ordinal);
        Assert.Contains("clientId", Passed(root, "functionapp", "identityClientId"), StringComparison.Ordinal);
        Assert.Contains("primaryEndpoints.blob", Output(root, "storage", "blobEndpoint"), StringComparison.Ordinal);
        Assert.Contains("primaryEndpoints.queue", Output(root, "storage", "queueEndpoint"), StringComparison.Ordinal);
        Assert.Contains("documentEndpoint", Output(root, "cosmos", "endpoint"), StringComparison.Ordinal);

        // Materials__UploadTargetMinutes defaults to 15; the metadata address defaults to Entra ID of the target cloud.
        Assert.Equal(15, root["parameters"]!["uploadTargetMinutes"]!["defaultValue"]!.GetValue<int>());
        Assert.Equal(5, root["parameters"]!["readLinkMinutes"]!["defaultValue"]!.GetValue<int>());
        Assert.Contains("environment().authentication.loginEndpoint", (string?)root["parameters"]!["authMetadataAddress"]!["defaultValue"], StringComparison.Ordinal);
    }

    /// <summary>
    /// One trace per case (decision 20): the worker exports to the same Application Insights as the host,
    /// with an Entra token of the same identity that holds Monitoring Metrics Publisher, and the host runs
    /// in OpenTelemetry mode so its spans and the worker's share a trace.
    /// </summary>
    [Fact]
    public void Telemetry_IsExportedWithTheAppsIdentity_InOpenTelemetryMode()
    {
        var settings = AppSettings(infra.Main).ToDictionary(s => s.Name, s => s.Value);

        Assert.Contains("appInsightsConnectionString", settings[TelemetryRegistration.ApplicationInsightsConnectionString], StringComparison.Ordinal);
        Assert.Equal("[format('ClientId={0};Authorization=AAD', parameters('identityClientId'))]", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.Equal("[parameters('identityClientId')]", settings[AppSettingNames.ManagedIdentityClientId]);
        Assert.DoesNotContain(AppSettingNames.TelemetryExporter, settings.Keys);

        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "host.json")))!;
        Assert.Equal("OpenTelemetry", (string?)host["telemetryMode"]);
    }

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "host.json")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new DirectoryNotFoundException("host.json not found above the test's output.");
    }

    [Fact]
    public void PersonalDataKeys_AreNamedSecretsOfTheAppsVault_AndOneIdentityIsOffByDefault()
    {
        var settings = AppSettings(infra.Main).ToDictionary(s => s.Name, s => s.Value);
        var root = infra.Main;
        var app = ArmTemplate.ModuleTemplate(root, "functionapp");

        // The app reads the secrets' versions itself from the same vault as the SMS secrets, with Key Vault Secrets User.
        Assert.Equal("[parameters('keyVaultUri')]", settings[AppSettingNames.PersonalDataKeyVaultUri]);
        Assert.Contains("reference('keyVault')", Passed(root, "functionapp", "keyVaultUri"), StringComparison.Ordinal);
        Assert.Contains("vaultUri", Output(root, "keyvault", "uri"), StringComparison.Ordinal);
        Assert.Equal("[parameters('personalDataKekSecretName')]", settings[AppSettingNames.PersonalDataKekSecretName]);
        Assert.Equal("[parameters('personalDataIndexKeySecretName')]", settings[AppSettingNames.PersonalDataIndexKeySecretName]);
        Assert.Equal("personal-data-kek", (string?)app["parameters"]!["personalDataKekSecretName"]!["defaultValue"]);
        Assert.Equal("personal-data-index-key", (string?)app["parameters"]!["personalDataIndexKeySecretName"]!["defaultValue"]);
        Assert.Equal(ServiceRegistration.DefaultKekSecretName, (string?)app["parameters"]!["personalDataKekSecretName"]!["defaultValue"]);
        Assert.Equal(ServiceRegistration.DefaultIndexKeySecretName, (string?)app["parameters"]!["personalDataIndexKeySecretName"]!["defaultValue"]);

        // The template never creates a secret value (no random key can be made safely at deployment).
        Assert.Empty(ArmTemplate.OfType(root, "Microsoft.KeyVault/vaults/secrets"));

        // 一号 is off unless the identity provider's claim is named.
        Assert.Equal("[parameters('identityNumberClaim')]", settings[AppSettingNames.IdentityNumberClaim]);
        Assert.Equal("", (string?)root["parameters"]!["identityNumberClaim"]!["defaultValue"]);
        Assert.Contains("parameters('identityNumberClaim')", Passed(root, "functionapp", "identityNumberClaim"), StringComparison.Ordinal);
    }

    [Fact]
    public void DepartmentSystemSettings_ComeFromTheNamespace_TheDepartmentsAndTheSite()
    {
        var settings = AppSettings(infra.Main).ToDictionary(s => s.Name, s => s.Value);
        var root = infra.Main;

        // The namespace's host name, cut from its serviceBusEndpoint: the suffix is whatever the cloud's is.
        Assert.Equal("[parameters('serviceBusNamespace')]", settings[AppSettingNames.ServiceBusNamespace]);
        Assert.Contains("reference('serviceBus')", Passed(root, "functionapp", "serviceBusNamespace"), StringComparison.Ordinal);
        Assert.Contains("fullyQualifiedNamespace", Passed(root, "functionapp", "serviceBusNamespace"), StringComparison.Ordinal);
        Assert.Contains("serviceBusEndpoint", Output(root, "servicebus", "fullyQualifiedNamespace"), StringComparison.Ordinal);

        // The same departments that get a subscription.
        Assert.Equal("[join(parameters('departmentCodes'), ',')]", settings[AppSettingNames.DepartmentSystemsDepartments]);
        Assert.Contains("parameters('departments')", Passed(root, "functionapp", "departmentCodes"), StringComparison.Ordinal);

        // Task links start with the site's own default host name, over HTTPS.
        Assert.Equal("format('https://{0}', reference('site').defaultHostName)", settings[AppSettingNames.DepartmentSystemsApiBaseUrl]);
    }

    [Fact]
    public void LicenceSettings_NameTheVaultAndTheSigningKeySecret_AndTheSitesHost()
    {
        var settings = AppSettings(infra.Main).ToDictionary(s => s.Name, s => s.Value);
        var root = infra.Main;

        // The app reads every version of the secret itself (rotation), so the setting names the vault, not one value.
        Assert.Equal("[parameters('keyVaultUri')]", settings[AppSettingNames.LicencesKeyVaultUri]);
        Assert.Contains("reference('keyVault')", Passed(root, "functionapp", "keyVaultUri"), StringComparison.Ordinal);
        Assert.Equal("[parameters('licenceSigningKeySecretName')]", settings[AppSettingNames.LicencesSigningKeySecretName]);
        var functionApp = ArmTemplate.ModuleTemplate(root, "functionapp");
        Assert.Equal(ServiceRegistration.DefaultSigningKeySecretName, (string?)functionApp["parameters"]!["licenceSigningKeySecretName"]!["defaultValue"]);
        // QR codes link to the site's own host name, over HTTPS, whatever the cloud.
        Assert.Equal("format('https://{0}', reference('site').defaultHostName)", settings[AppSettingNames.LicencesPublicBaseUrl]);
        // The local key folder is never set in Azure.
        Assert.Contains(AppSettingNames.LicencesLocalKeyDirectory, AppSettingNames.LocalOnly);
    }

    [Fact]
    public void AppSettings_AreWrittenOnce_AsTheSitesAppSettingsConfiguration()
    {
        // Settings in siteConfig as well would be replaced by the configuration resource, or fight with it.
        var site = Assert.Single(ArmTemplate.OfType(infra.Main, "Microsoft.Web/sites"));
        Assert.Null(site.Get("properties.siteConfig.appSettings"));
        Assert.Single(ArmTemplate.OfType(infra.Main, "Microsoft.Web/sites/config"), IsAppSettings);
    }

    /// <summary>
    /// The app settings of the Function App, from its <c>appsettings</c> configuration resource: the
    /// {name, value} entries of every variable its expression refers to (the plan decides which lists are
    /// joined), and the settings written inline as createObject('name', value), the value as an expression.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> AppSettings(JsonNode template)
    {
        var config = Assert.Single(ArmTemplate.OfType(template, "Microsoft.Web/sites/config"), IsAppSettings);
        var expression = (string?)config.Get("properties") ?? throw new InvalidOperationException("the appsettings configuration has no properties expression");
        var fromVariables = ArmTemplate.VariablesIn(expression)
            .Select(v => config.DeclaringTemplate["variables"]?[v])
            .OfType<JsonArray>().SelectMany(a => a.OfType<JsonObject>())
            .Select(o => ((string?)o["name"] ?? "", o["value"]?.ToString() ?? ""));
        var inline = ArmTemplate.CreateObjectCalls(expression)
            .SelectMany(arguments => arguments.Chunk(2))
            .Select(pair => (pair[0].Trim('\''), pair[1]));
        return fromVariables.Concat(inline).ToList();
    }

    private static bool IsAppSettings(ArmResource resource) =>
        ((string?)resource.Body["name"] ?? "").Contains("'appsettings'", StringComparison.Ordinal);

    private static string Output(JsonNode root, string module, string output) =>
        ArmTemplate.ModuleTemplate(root, module)["outputs"]?[output]?["value"]?.ToString() ?? "";

    private static string Passed(JsonNode root, string module, string parameter) =>
        ArmTemplate.ModuleParameter(root, module, parameter)?.ToString() ?? "";
}
