namespace Ali.Serverless.Adapters.Tests;

/// <summary>
/// Where the test services are. scripts/test.sh starts Azurite and cosmosdb-server and sets these;
/// ALI_TEST_COSMOS_ENDPOINT (+ ALI_TEST_COSMOS_KEY) points the store contract at a real Cosmos account.
/// </summary>
public static class TestEnvironment
{
    public static string Storage =>
        Environment.GetEnvironmentVariable("ALI_TEST_STORAGE") ?? "UseDevelopmentStorage=true";

    public static string CosmosServer =>
        Environment.GetEnvironmentVariable("ALI_TEST_COSMOS_SERVER") ?? "https://127.0.0.1:18081";

    /// <summary>Blob endpoint of an Azurite that accepts Entra tokens only (--oauth basic, HTTPS).</summary>
    public static string OAuthBlobEndpoint =>
        Environment.GetEnvironmentVariable("ALI_TEST_OAUTH_BLOB") ?? "https://127.0.0.1:10110/devstoreaccount1";

    public static string? RealCosmosEndpoint => Environment.GetEnvironmentVariable("ALI_TEST_COSMOS_ENDPOINT");

    public static string? RealCosmosKey => Environment.GetEnvironmentVariable("ALI_TEST_COSMOS_KEY");

    /// <summary>A unique name per test run, so runs never see each other's data.</summary>
    public static string UniqueName(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 12, 63)];
}
