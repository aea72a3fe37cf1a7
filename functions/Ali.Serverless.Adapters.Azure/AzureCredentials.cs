using Azure.Core;
using Azure.Identity;

namespace Ali.Serverless.Adapters.Azure;

/// <summary>Entra ID credentials for the Azure clients: the app's user-assigned managed identity in Azure.</summary>
public static class AzureCredentials
{
    /// <summary>
    /// The user-assigned identity with that client id; without one, the default chain (developer
    /// sign-in, environment, system-assigned identity), which also works against Azure China.
    /// </summary>
    public static TokenCredential For(string? managedIdentityClientId) =>
        managedIdentityClientId is null
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(managedIdentityClientId));
}
