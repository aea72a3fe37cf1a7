using System.Text.Json.Nodes;

namespace Ali.Serverless.Infra.Tests;

/// <summary>
/// A check over the compiled template, named after the PSRule for Azure rule it mirrors where one
/// exists (Ali.* where none does), with the edit that takes its property away again.
/// </summary>
public sealed record SecurityRule(string Name, string Why, Func<JsonNode, bool> Holds, Action<JsonNode> Break)
{
    public override string ToString() => Name;
}

public static class SecurityRules
{
    private const string Storage = "Microsoft.Storage/storageAccounts";
    private const string BlobService = "Microsoft.Storage/storageAccounts/blobServices";
    private const string QueueService = "Microsoft.Storage/storageAccounts/queueServices";
    private const string BlobContainer = "Microsoft.Storage/storageAccounts/blobServices/containers";
    private const string Cosmos = "Microsoft.DocumentDB/databaseAccounts";
    private const string ServiceBus = "Microsoft.ServiceBus/namespaces";
    private const string Site = "Microsoft.Web/sites";
    private const string PublishingCredentials = "Microsoft.Web/sites/basicPublishingCredentialsPolicies";
    private const string KeyVault = "Microsoft.KeyVault/vaults";
    private const string AppInsights = "Microsoft.Insights/components";
    private const string Workspace = "Microsoft.OperationalInsights/workspaces";
    private const string Diagnostics = "Microsoft.Insights/diagnosticSettings";

    public static IReadOnlyList<SecurityRule> All { get; } =
    [
        Property("Azure.Storage.SecureTransfer", "HTTPS only to storage", Storage, "properties.supportsHttpsTrafficOnly", true),
        Property("Azure.Storage.MinTLS", "TLS 1.2 at least", Storage, "properties.minimumTlsVersion", "TLS1_2"),
        Property("Azure.Storage.LocalAuth", "no shared keys: Entra ID only, user-delegation SAS", Storage, "properties.allowSharedKeyAccess", false),
        Property("Azure.Storage.BlobPublicAccess", "no anonymous blob access", Storage, "properties.allowBlobPublicAccess", false),
        Property("Ali.Storage.DefaultToOAuth", "the portal signs in with Entra ID by default", Storage, "properties.defaultToOAuthAuthentication", true),
        Property("Ali.Storage.CrossTenantReplication", "no object replication to other tenants (data stays in China)", Storage, "properties.allowCrossTenantReplication", false),
        Property("Azure.Storage.SoftDelete", "deleted blobs can be restored", BlobService, "properties.deleteRetentionPolicy.enabled", true),
        Property("Azure.Storage.ContainerSoftDelete", "deleted containers can be restored", BlobService, "properties.containerDeleteRetentionPolicy.enabled", true),
        Property("Ali.Storage.BlobVersioning", "overwritten blobs keep their earlier versions", BlobService, "properties.isVersioningEnabled", true),
        Property("Ali.Storage.ContainerPrivate", "no container is public", BlobContainer, "properties.publicAccess", "None"),
        new(
            "Ali.Storage.BlobCorsForDirectUpload",
            "browsers may PUT blobs with x-ms-blob-type, content-type, x-ms-* and content-md5 headers from the portal origins only",
            t => OfType(t, BlobService).All(r => r.Get("properties.cors.corsRules") is JsonArray rules && rules.Count > 0
                && rules.All(rule => rule is JsonObject o
                    && Strings(o["allowedMethods"]).SequenceEqual(["PUT"])
                    && new[] { "x-ms-blob-type", "content-type", "x-ms-*", "content-md5" }.All(Strings(o["allowedHeaders"]).Contains)
                    && Text(o["allowedOrigins"]) == "[parameters('portalOrigins')]")) && OfType(t, BlobService).Count > 0,
            t => Each(t, BlobService, r => ArmTemplate.Remove(r.Body, "properties.cors"))),

        Property("Azure.Cosmos.DisableLocalAuth", "no account keys: Entra ID with a Cosmos SQL role", Cosmos, "properties.disableLocalAuth", true),
        Property("Azure.Cosmos.DisableMetadataWrite", "keys cannot change databases or containers", Cosmos, "properties.disableKeyBasedMetadataWriteAccess", true),
        Property("Azure.Cosmos.MinTLS", "TLS 1.2 at least", Cosmos, "properties.minimalTlsVersion", "Tls12"),
        Property("Azure.Cosmos.ContinuousBackup", "point-in-time restore", Cosmos, "properties.backupPolicy.type", "Continuous"),

        Property("Azure.ServiceBus.DisableLocalAuth", "no SAS keys: Entra ID only", ServiceBus, "properties.disableLocalAuth", true),
        Property("Azure.ServiceBus.MinTLS", "TLS 1.2 at least", ServiceBus, "properties.minimumTlsVersion", "1.2"),

        new(
            "Azure.AppService.ManagedIdentity",
            "the app runs as a user-assigned managed identity",
            t => OfType(t, Site).Count > 0 && OfType(t, Site).All(r => Text(r.Get("identity.type")) == "UserAssigned"
                && r.Get("identity.userAssignedIdentities") is JsonObject ids && ids.Count == 1),
            t => Each(t, Site, r => r.Body.Remove("identity"))),
        Property("Azure.AppService.UseHTTPS", "HTTP is redirected to HTTPS", Site, "properties.httpsOnly", true),
        Property("Azure.AppService.MinTLS", "TLS 1.2 at least", Site, "properties.siteConfig.minTlsVersion", "1.2"),
        Property("Ali.AppService.ScmMinTLS", "TLS 1.2 at least on the deployment endpoint", Site, "properties.siteConfig.scmMinTlsVersion", "1.2"),
        Property("Azure.AppService.RemoteDebug", "remote debugging off", Site, "properties.siteConfig.remoteDebuggingEnabled", false),
        Property("Azure.AppService.WebSecureFtp", "FTP and FTPS off", Site, "properties.siteConfig.ftpsState", "Disabled"),
        new(
            "Ali.AppService.NoBasicPublishingCredentials",
            "no FTP or SCM user/password: deployments authenticate with Entra ID",
            t => new[] { "ftp", "scm" }.All(kind => OfType(t, PublishingCredentials).Any(r =>
                    ((string?)r.Body["name"] ?? "").Contains($"'{kind}'", StringComparison.Ordinal)
                    && JsonNode.DeepEquals(r.Get("properties.allow"), JsonValue.Create(false)))),
            t => Each(t, PublishingCredentials, r => ArmTemplate.Set(r.Body, "properties.allow", true))),
        new(
            "Ali.AppService.CorsFromParameter",
            "CORS allows exactly the portal origins given as a parameter, never '*', and no credentials",
            t => OfType(t, Site).Count > 0 && OfType(t, Site).All(r =>
                Text(r.Get("properties.siteConfig.cors.allowedOrigins")) == "[parameters('portalOrigins')]"
                && JsonNode.DeepEquals(r.Get("properties.siteConfig.cors.supportCredentials"), JsonValue.Create(false))),
            t => Each(t, Site, r => ArmTemplate.Set(r.Body, "properties.siteConfig.cors.allowedOrigins", new JsonArray("*")))),

        Property("Azure.KeyVault.SoftDelete", "deleted secrets can be recovered", KeyVault, "properties.enableSoftDelete", true),
        Property("Azure.KeyVault.PurgeProtect", "a deleted vault cannot be purged early", KeyVault, "properties.enablePurgeProtection", true),
        Property("Azure.KeyVault.RBAC", "Azure RBAC, no access policies", KeyVault, "properties.enableRbacAuthorization", true),

        Property("Azure.AppInsights.LocalAuth", "telemetry only with an Entra token", AppInsights, "properties.DisableLocalAuth", true),
        Property("Azure.AppInsights.Workspace", "telemetry kept in the Log Analytics workspace", AppInsights, "properties.WorkspaceResourceId", null, mustExist: true),
        Property("Ali.Log.LocalAuth", "workspace queries and ingestion only with Entra ID", Workspace, "properties.features.disableLocalAuth", true),

        Logs("Azure.Storage.Logs (blob)", BlobService),
        Logs("Azure.Storage.Logs (queue)", QueueService),
        Logs("Azure.Cosmos.Logs", Cosmos),
        Logs("Azure.ServiceBus.Logs", ServiceBus),
        Logs("Azure.KeyVault.Logs", KeyVault),
        Logs("Azure.AppService.Logs", Site),

        new(
            "Ali.Cloud.NoHardcodedEndpoints",
            "endpoints come from resource properties and environment(), so the template deploys to AzureChinaCloud too",
            t => CloudLiterals.FindIn(t).Count == 0,
            t => Each(t, Site, r => ArmTemplate.Set(r.Body, "properties.siteConfig.cors.allowedOrigins", new JsonArray("https://example.blob.core.windows.net")))),
        new(
            "Ali.Secrets.NoKeysInTemplate",
            "no listKeys()/connection strings with secrets anywhere in the template",
            t => SecretPatterns.FindIn(t).Count == 0,
            t => Each(t, Site, r => ArmTemplate.Set(r.Body, "properties.siteConfig.appSettings",
                new JsonArray(new JsonObject { ["name"] = "X", ["value"] = "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'x'), '2023-05-01').keys[0].value]" })))),
    ];

    public static SecurityRule Get(string name) => All.Single(r => r.Name == name);

    private static SecurityRule Property(string name, string why, string type, string path, object? expected, bool mustExist = false) =>
        new(
            name,
            why,
            t => OfType(t, type).Count > 0 && OfType(t, type).All(r => mustExist
                ? r.Get(path) is not null
                : JsonNode.DeepEquals(r.Get(path), ToJson(expected))),
            t => Each(t, type, r => ArmTemplate.Remove(r.Body, path)));

    /// <summary>Every resource of the type sends its logs to Log Analytics through a diagnostic setting.</summary>
    private static SecurityRule Logs(string name, string type) =>
        new(
            name,
            "logs of the data service go to Log Analytics (audit, MLPS level 3)",
            t => OfType(t, type).Count > 0 && OfType(t, type).All(target => OfType(t, Diagnostics).Any(d =>
                ReferenceEquals(d.DeclaringTemplate, target.DeclaringTemplate)
                && string.Equals(d.ScopeType, type, StringComparison.OrdinalIgnoreCase)
                && d.Get("properties.workspaceId") is not null
                && d.Get("properties.logs") is JsonArray logs
                && logs.Any(l => JsonNode.DeepEquals(l?["enabled"], JsonValue.Create(true))))),
            t => ArmTemplate.RemoveResources(t, d => d.Type == Diagnostics && string.Equals(d.ScopeType, type, StringComparison.OrdinalIgnoreCase)));

    private static IReadOnlyList<ArmResource> OfType(JsonNode template, string type) => ArmTemplate.OfType(template, type);

    private static JsonNode? ToJson(object? value) => value switch
    {
        bool b => JsonValue.Create(b),
        string s => JsonValue.Create(s),
        null => null,
        _ => throw new ArgumentException($"Unsupported expected value {value}", nameof(value)),
    };

    private static void Each(JsonNode template, string type, Action<ArmResource> edit)
    {
        foreach (var resource in OfType(template, type))
        {
            edit(resource);
        }
    }

    private static IEnumerable<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(x => Text(x) ?? "") : [];

    /// <summary>The string a node holds, or null when it holds anything else.</summary>
    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
}

/// <summary>Host names and suffixes of one cloud that a cloud-neutral template must not contain.</summary>
public static class CloudLiterals
{
    public static readonly string[] Forbidden = ["core.windows.net", "azure.com", "documents.azure.com", "chinacloudapi.cn"];

    public static IReadOnlyList<string> FindIn(JsonNode compiled)
    {
        var text = ArmTemplate.WithoutSchemaUrls(compiled).ToJsonString();
        return Forbidden.Where(f => text.Contains(f, StringComparison.OrdinalIgnoreCase)).ToList();
    }
}

/// <summary>Ways a secret would get into a template or an app setting.</summary>
public static class SecretPatterns
{
    public static readonly string[] Forbidden =
        ["listKeys(", "listConnectionStrings(", "listAccountSas(", "listServiceSas(", "AccountKey=", "SharedAccessKey=", "sig=", "primaryMasterKey", "primaryConnectionString"];

    public static IReadOnlyList<string> FindIn(JsonNode compiled)
    {
        var text = compiled.ToJsonString();
        return Forbidden.Where(f => text.Contains(f, StringComparison.OrdinalIgnoreCase)).ToList();
    }
}
