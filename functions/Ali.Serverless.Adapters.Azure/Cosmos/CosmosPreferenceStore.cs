using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ali.Serverless.Notifications;
using Microsoft.Azure.Cosmos;

namespace Ali.Serverless.Adapters.Azure.Cosmos;

/// <summary>One document per account (/subjectKey, id = the key): a point read.</summary>
public sealed class CosmosPreferenceStore(Container container) : IPreferenceStore
{
    public async Task<Preferences?> GetAsync(string subjectKey, CancellationToken cancellationToken)
    {
        try
        {
            var response = await container.ReadItemAsync<JsonObject>(Id(subjectKey), new PartitionKey(subjectKey), cancellationToken: cancellationToken);
            return CosmosDocuments.FromNode<Preferences>(response.Resource);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task PutAsync(Preferences preferences, CancellationToken cancellationToken)
    {
        var document = CosmosDocuments.ToNode(preferences);
        document["id"] = Id(preferences.SubjectKey);
        await container.UpsertItemAsync(document, new PartitionKey(preferences.SubjectKey), cancellationToken: cancellationToken);
    }

    // Cosmos ids may not contain '/', '\', '?' or '#', and subject keys come from tokens: the id is a hash of the key.
    private static string Id(string subjectKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subjectKey)));
}
