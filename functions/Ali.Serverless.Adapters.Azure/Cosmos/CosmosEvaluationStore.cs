using System.Net;
using System.Text.Json.Nodes;
using Ali.Serverless.Applications;
using Ali.Serverless.Evaluations;
using Ali.Serverless.Statistics;
using Microsoft.Azure.Cosmos;

namespace Ali.Serverless.Adapters.Azure.Cosmos;

/// <summary>
/// Reviews partitioned by the item's department (/departmentCode): a department's or an item's public
/// list is a query inside one partition. Only the statistics timer reads across departments.
/// </summary>
public sealed class CosmosEvaluationStore(Container container) : IEvaluationStore
{
    public const string EvaluatedTicksField = "evaluatedAtTicks";
    public const string VoidedField = "voided";
    private const int ReplaceAttempts = 5;

    public async Task UpsertAsync(Evaluation evaluation, CancellationToken cancellationToken)
    {
        var document = ToDocument(evaluation.ForStore());
        var partition = new PartitionKey(evaluation.DepartmentCode);
        for (var attempt = 0; attempt < ReplaceAttempts; attempt++)
        {
            try
            {
                await container.CreateItemAsync(document, partition, cancellationToken: cancellationToken);
                return;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                // Stored before: replace it only with a newer version, and only the version just read.
            }
            var existing = await container.ReadItemAsync<JsonObject>(evaluation.Id, partition, cancellationToken: cancellationToken);
            if (CosmosDocuments.FromNode<Evaluation>(existing.Resource).Version >= evaluation.Version)
            {
                return;
            }
            try
            {
                await container.ReplaceItemAsync(document, evaluation.Id, partition, new ItemRequestOptions { IfMatchEtag = existing.ETag }, cancellationToken);
                return;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                // Another writer got there first: read again and decide again.
            }
        }
        throw new InvalidOperationException($"Evaluation '{evaluation.Id}' kept changing while it was copied; the outbox relay will try again.");
    }

    public async Task<Evaluation?> GetAsync(string departmentCode, string id, CancellationToken cancellationToken)
    {
        try
        {
            var response = await container.ReadItemAsync<JsonObject>(id, new PartitionKey(departmentCode), cancellationToken: cancellationToken);
            return CosmosDocuments.FromNode<Evaluation>(response.Resource);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Page<Evaluation>> ListPublishedAsync(string departmentCode, string? itemCode, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var options = new QueryRequestOptions { PartitionKey = new PartitionKey(departmentCode), MaxItemCount = pageSize };
        try
        {
            using var iterator = container.GetItemQueryIterator<JsonObject>(BuildPublishedQuery(departmentCode, itemCode), continuationToken, options);
            var response = await iterator.ReadNextAsync(cancellationToken);
            return new Page<Evaluation>(response.Select(CosmosDocuments.FromNode<Evaluation>).ToList(), response.ContinuationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.BadRequest && continuationToken is not null)
        {
            throw new InvalidContinuationTokenException("The continuation token was refused by the store.", e);
        }
    }

    public async Task<Page<Evaluation>> ListPendingAppealsAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        // Cross-partition on purpose: supervisors decide appeals of every department, and there are few.
        var options = new QueryRequestOptions { MaxItemCount = pageSize };
        try
        {
            using var iterator = container.GetItemQueryIterator<JsonObject>(BuildPendingAppealsQuery(), continuationToken, options);
            var response = await iterator.ReadNextAsync(cancellationToken);
            return new Page<Evaluation>(response.Select(CosmosDocuments.FromNode<Evaluation>).ToList(), response.ContinuationToken);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.BadRequest && continuationToken is not null)
        {
            throw new InvalidContinuationTokenException("The continuation token was refused by the store.", e);
        }
    }

    public async Task<IReadOnlyList<EvaluationFact>> ListEvaluatedBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        // Cross-partition on purpose: the statistics job looks at every department, from a timer.
        var facts = new List<EvaluationFact>();
        using var iterator = container.GetItemQueryIterator<JsonObject>(BuildPeriodQuery(from, to));
        while (iterator.HasMoreResults)
        {
            facts.AddRange((await iterator.ReadNextAsync(cancellationToken)).Select(d => CosmosDocuments.FromNode<Evaluation>(d).ToFact()));
        }
        return facts.OrderBy(f => f.EvaluatedAt).ThenBy(f => f.EvaluationId, StringComparer.Ordinal).ToList();
    }

    internal static QueryDefinition BuildPublishedQuery(string departmentCode, string? itemCode)
    {
        var text = $"SELECT * FROM c WHERE c.departmentCode = @department AND c.{VoidedField} = false"
            + (itemCode is null ? "" : " AND c.itemCode = @item")
            + $" ORDER BY c.{EvaluatedTicksField} DESC";
        var query = new QueryDefinition(text).WithParameter("@department", departmentCode);
        return itemCode is null ? query : query.WithParameter("@item", itemCode);
    }

    internal static QueryDefinition BuildPendingAppealsQuery() =>
        new($"SELECT * FROM c WHERE c.appeal.state = 'pending' ORDER BY c.{EvaluatedTicksField}");

    internal static QueryDefinition BuildPeriodQuery(DateTimeOffset from, DateTimeOffset to) =>
        new QueryDefinition($"SELECT * FROM c WHERE c.{EvaluatedTicksField} >= @from AND c.{EvaluatedTicksField} < @to")
            .WithParameter("@from", CosmosDocuments.Ticks(from))
            .WithParameter("@to", CosmosDocuments.Ticks(to));

    private static JsonObject ToDocument(Evaluation evaluation)
    {
        var document = CosmosDocuments.ToNode(evaluation);
        document[EvaluatedTicksField] = CosmosDocuments.Ticks(evaluation.EvaluatedAt);
        document[VoidedField] = evaluation.Voided;
        return document;
    }
}
