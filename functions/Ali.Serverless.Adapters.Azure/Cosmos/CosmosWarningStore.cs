using System.Net;
using System.Text.Json.Nodes;
using Ali.Serverless.Applications;
using Ali.Serverless.Supervision;
using Microsoft.Azure.Cosmos;

namespace Ali.Serverless.Adapters.Azure.Cosmos;

/// <summary>
/// Warnings partitioned by responsible department. Creating one whose id exists answers 409, which is
/// how "once per subject and level" holds even when two timer runs overlap.
/// </summary>
public sealed class CosmosWarningStore(Container container) : IWarningStore
{
    public const string RaisedTicksField = "raisedAtTicks";

    public async Task<bool> CreateAsync(SupervisionWarning warning, CancellationToken cancellationToken)
    {
        try
        {
            await container.CreateItemAsync(ToDocument(warning with { QueuedAt = null }), new PartitionKey(warning.DepartmentCode), cancellationToken: cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    public async Task MarkQueuedAsync(SupervisionWarning warning, DateTimeOffset queuedAt, CancellationToken cancellationToken) =>
        await container.UpsertItemAsync(ToDocument(warning with { QueuedAt = queuedAt }), new PartitionKey(warning.DepartmentCode), cancellationToken: cancellationToken);

    public async Task<Page<SupervisionWarning>> ListAsync(string? level, string? department, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        // With a department it is a one-partition query; without, a supervisor's overview across departments.
        var options = new QueryRequestOptions { MaxItemCount = pageSize, PartitionKey = department is null ? null : new PartitionKey(department) };
        try
        {
            using var iterator = container.GetItemQueryIterator<JsonObject>(BuildListQuery(level, department), continuationToken, options);
            var response = await iterator.ReadNextAsync(cancellationToken);
            return new Page<SupervisionWarning>(response.Select(CosmosDocuments.FromNode<SupervisionWarning>).ToList(), response.ContinuationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.BadRequest && continuationToken is not null)
        {
            throw new InvalidContinuationTokenException("The continuation token was refused by the store.", e);
        }
    }

    public async Task<IReadOnlyList<SupervisionWarning>> ListUnqueuedAsync(int max, CancellationToken cancellationToken)
    {
        var result = new List<SupervisionWarning>();
        var query = new QueryDefinition("SELECT TOP @max * FROM c WHERE IS_NULL(c.queuedAt) OR NOT IS_DEFINED(c.queuedAt)").WithParameter("@max", max);
        using var iterator = container.GetItemQueryIterator<JsonObject>(query);
        while (iterator.HasMoreResults && result.Count < max)
        {
            result.AddRange((await iterator.ReadNextAsync(cancellationToken)).Select(CosmosDocuments.FromNode<SupervisionWarning>));
        }
        return result.Take(max).ToList();
    }

    internal static QueryDefinition BuildListQuery(string? level, string? department)
    {
        var conditions = new List<string>();
        if (level is not null)
        {
            conditions.Add("c.level = @level");
        }
        if (department is not null)
        {
            conditions.Add("c.departmentCode = @department");
        }
        var text = "SELECT * FROM c" + (conditions.Count > 0 ? " WHERE " + string.Join(" AND ", conditions) : "") + $" ORDER BY c.{RaisedTicksField} DESC";
        var query = new QueryDefinition(text);
        if (level is not null)
        {
            query = query.WithParameter("@level", level);
        }
        return department is null ? query : query.WithParameter("@department", department);
    }

    private static JsonObject ToDocument(SupervisionWarning warning)
    {
        var document = CosmosDocuments.ToNode(warning);
        document[RaisedTicksField] = CosmosDocuments.Ticks(warning.RaisedAt);
        return document;
    }
}
