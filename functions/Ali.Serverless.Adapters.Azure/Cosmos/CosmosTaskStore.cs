using System.Net;
using System.Text.Json.Nodes;
using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Microsoft.Azure.Cosmos;

namespace Ali.Serverless.Adapters.Azure.Cosmos;

/// <summary>
/// Tasks partitioned by department (/departmentCode): a worklist is a query inside the caller's
/// department, a task a point read. Only the supervision timer queries across departments.
/// </summary>
public sealed class CosmosTaskStore(Container container) : ITaskStore
{
    public const string DueTicksField = "dueAtTicks";

    public async Task UpsertAsync(CaseTask task, CancellationToken cancellationToken)
    {
        var document = CosmosDocuments.ToNode(task);
        document[DueTicksField] = CosmosDocuments.Ticks(task.DueAt);
        await container.UpsertItemAsync(document, new PartitionKey(task.DepartmentCode), cancellationToken: cancellationToken);
    }

    public async Task<CaseTask?> GetAsync(string departmentCode, string taskId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await container.ReadItemAsync<JsonObject>(taskId, new PartitionKey(departmentCode), cancellationToken: cancellationToken);
            return CosmosDocuments.FromNode<CaseTask>(response.Resource);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Page<CaseTask>> ListOpenAsync(string departmentCode, TaskKind? kind, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var options = new QueryRequestOptions { PartitionKey = new PartitionKey(departmentCode), MaxItemCount = pageSize };
        try
        {
            using var iterator = container.GetItemQueryIterator<JsonObject>(BuildWorklistQuery(departmentCode, kind), continuationToken, options);
            var response = await iterator.ReadNextAsync(cancellationToken);
            return new Page<CaseTask>(response.Select(CosmosDocuments.FromNode<CaseTask>).ToList(), response.ContinuationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.BadRequest && continuationToken is not null)
        {
            throw new InvalidContinuationTokenException("The continuation token was refused by the store.", e);
        }
    }

    public async Task<IReadOnlyList<CaseTask>> ListOpenDueBeforeAsync(DateTimeOffset dueBefore, int max, CancellationToken cancellationToken)
    {
        // Cross-partition on purpose: the supervision timer looks at every department.
        var result = new List<CaseTask>();
        using var iterator = container.GetItemQueryIterator<JsonObject>(BuildDueQuery(dueBefore, max));
        while (iterator.HasMoreResults && result.Count < max)
        {
            result.AddRange((await iterator.ReadNextAsync(cancellationToken)).Select(CosmosDocuments.FromNode<CaseTask>));
        }
        return result.Take(max).ToList();
    }

    internal static QueryDefinition BuildWorklistQuery(string departmentCode, TaskKind? kind)
    {
        var text = "SELECT * FROM c WHERE c.departmentCode = @department AND c.state = 'open'"
            + (kind is null ? "" : " AND c.kind = @kind")
            + $" ORDER BY c.{DueTicksField}";
        var query = new QueryDefinition(text).WithParameter("@department", departmentCode);
        return kind is null ? query : query.WithParameter("@kind", TaskView.Wire(kind.Value));
    }

    internal static QueryDefinition BuildDueQuery(DateTimeOffset dueBefore, int max) =>
        new QueryDefinition($"SELECT TOP @max * FROM c WHERE c.state = 'open' AND c.{DueTicksField} <= @before")
            .WithParameter("@max", max)
            .WithParameter("@before", CosmosDocuments.Ticks(dueBefore));
}
