using System.Net;
using System.Text.Json.Nodes;
using Ali.Serverless.Applications;
using Ali.Serverless.Licences;
using Microsoft.Azure.Cosmos;

namespace Ali.Serverless.Adapters.Azure.Cosmos;

/// <summary>
/// Licences in the <c>licences</c> container, partition /partitionKey, three kinds of item:
/// the licence (partition = its id: verification, reads and revocation are point reads by id alone, which
/// is all a QR code carries); the number claim (id = the number, partition <c>number:{number}</c>: a
/// second licence with the same number is a 409, which is how the number stays unique across partitions);
/// and the holder entry (partition <c>holder:{account}</c>: a holder's list is one partition).
/// Issuing writes claim, licence, entry in that order; each step is idempotent, so a crash in between is
/// finished by the outbox running it again. An orphaned claim only leaves a number unused.
/// </summary>
public sealed class CosmosLicenceStore(Container container) : ILicenceStore
{
    public async Task<LicenceCreateResult> CreateAsync(Licence licence, CancellationToken cancellationToken)
    {
        var claim = new JsonObject
        {
            ["id"] = licence.Content.Number,
            ["partitionKey"] = NumberPartition(licence.Content.Number),
            ["kind"] = "number",
            ["licenceId"] = licence.Id,
        };
        if (!await TryCreateAsync(claim, NumberPartition(licence.Content.Number), cancellationToken))
        {
            var holder = await container.ReadItemAsync<JsonObject>(licence.Content.Number, new PartitionKey(NumberPartition(licence.Content.Number)), cancellationToken: cancellationToken);
            if ((string?)holder.Resource["licenceId"] != licence.Id)
            {
                return new LicenceCreateResult(LicenceCreateOutcome.NumberTaken);
            }
        }
        var document = CosmosDocuments.ToNode(licence);
        document["id"] = licence.Id;
        document["partitionKey"] = licence.Id;
        document["kind"] = "licence";
        var outcome = LicenceCreateOutcome.Created;
        Stored<Licence>? existing = null;
        if (!await TryCreateAsync(document, licence.Id, cancellationToken))
        {
            existing = await GetAsync(licence.Id, cancellationToken);
            outcome = LicenceCreateOutcome.AlreadyIssued;
        }
        var stored = existing?.Value ?? licence;
        if (stored.HolderAccountId is { } account)
        {
            var entry = new JsonObject
            {
                ["id"] = stored.Id,
                ["partitionKey"] = HolderPartition(account),
                ["kind"] = "holder",
                ["licenceId"] = stored.Id,
                ["issuedAtTicks"] = CosmosDocuments.Ticks(stored.IssuedAt),
            };
            await container.UpsertItemAsync(entry, new PartitionKey(HolderPartition(account)), new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken);
        }
        return new LicenceCreateResult(outcome, existing);
    }

    public async Task<Stored<Licence>?> GetAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var response = await container.ReadItemAsync<JsonObject>(id, new PartitionKey(id), cancellationToken: cancellationToken);
            return (string?)response.Resource["kind"] == "licence" ? new Stored<Licence>(CosmosDocuments.FromNode<Licence>(response.Resource), response.ETag) : null;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Stored<Licence>?> ReplaceAsync(Licence licence, string etag, CancellationToken cancellationToken)
    {
        var document = CosmosDocuments.ToNode(licence);
        document["id"] = licence.Id;
        document["partitionKey"] = licence.Id;
        document["kind"] = "licence";
        try
        {
            var response = await container.ReplaceItemAsync(document, licence.Id, new PartitionKey(licence.Id),
                new ItemRequestOptions { IfMatchEtag = etag, EnableContentResponseOnWrite = false }, cancellationToken);
            return new Stored<Licence>(licence, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<Licence>> ListByHolderAsync(string holderAccountId, CancellationToken cancellationToken)
    {
        var partition = HolderPartition(holderAccountId);
        // The partition is named in the query as well: the local test server needs it there. A holder has a
        // handful of licences: they are ordered here, not by the query.
        var query = new QueryDefinition("SELECT c.licenceId FROM c WHERE c.partitionKey = @p AND c.kind = 'holder'")
            .WithParameter("@p", partition);
        var ids = new List<string>();
        using (var iterator = container.GetItemQueryIterator<JsonObject>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(partition) }))
        {
            while (iterator.HasMoreResults)
            {
                foreach (var item in await iterator.ReadNextAsync(cancellationToken))
                {
                    ids.Add((string)item["licenceId"]!);
                }
            }
        }
        var licences = new List<Licence>();
        foreach (var id in ids)
        {
            if (await GetAsync(id, cancellationToken) is { } stored)
            {
                licences.Add(stored.Value);
            }
        }
        return licences.OrderByDescending(l => l.IssuedAt).ThenByDescending(l => l.Id, StringComparer.Ordinal).ToList();
    }

    private async Task<bool> TryCreateAsync(JsonObject document, string partition, CancellationToken cancellationToken)
    {
        try
        {
            await container.CreateItemAsync(document, new PartitionKey(partition), new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    private static string NumberPartition(string number) => $"number:{number}";

    private static string HolderPartition(string account) => $"holder:{account}";
}
