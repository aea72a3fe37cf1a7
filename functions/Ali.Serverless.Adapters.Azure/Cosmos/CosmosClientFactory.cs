using Ali.Serverless.Common;
using Azure.Core;
using Microsoft.Azure.Cosmos;

namespace Ali.Serverless.Adapters.Azure.Cosmos;

/// <summary>
/// Builds the Cosmos DB client: Entra ID (managed identity) in Azure, where local key auth is
/// disabled; an account key only for emulators and test servers.
/// </summary>
public static class CosmosClientFactory
{
    public static CosmosClientOptions Options(bool gatewayMode = false, HttpMessageHandler? handler = null)
    {
        var options = new CosmosClientOptions
        {
            UseSystemTextJsonSerializerWithOptions = DocumentJson.Options,
            ConnectionMode = gatewayMode ? ConnectionMode.Gateway : ConnectionMode.Direct,
            ApplicationName = "ali-serverless",
        };
        if (handler is not null)
        {
            options.HttpClientFactory = () => new HttpClient(handler, disposeHandler: false);
        }
        return options;
    }

    public static CosmosClient WithIdentity(string endpoint, TokenCredential credential) =>
        new(endpoint, credential, Options());

    public static CosmosClient WithKey(string endpoint, string key, bool gatewayMode, HttpMessageHandler? handler = null) =>
        new(endpoint, key, Options(gatewayMode, handler));

    /// <summary>Entra ID when there is no key (Azure), the key otherwise (emulators, test servers).</summary>
    public static CosmosClient Create(string endpoint, string? key, string? managedIdentityClientId) =>
        key is null ? WithIdentity(endpoint, AzureCredentials.For(managedIdentityClientId)) : WithKey(endpoint, key, gatewayMode: true);
}
