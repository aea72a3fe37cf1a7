using Ali.Serverless.Applications;
using Ali.Serverless.Operations;
using Microsoft.Azure.Cosmos;

namespace Ali.Serverless.Adapters.Azure.Cosmos;

/// <summary>
/// Applications per state for the <c>ali.cases.current</c> gauge: one <c>COUNT</c> per state with an equality on
/// <c>status</c>, which Cosmos DB answers from the index without loading documents (a GROUP BY would read every
/// document; cosmosdb-server does not take it either). Nine small cross-partition queries, at most every few
/// minutes per instance, never per request; docs/performance.md gives their RU.
/// </summary>
public sealed class CosmosCaseCounts(Container applications) : ICaseCounts
{
    internal static QueryDefinition BuildQuery(ApplicationStatus status) =>
        new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.status = @status").WithParameter("@status", status.ToWire());

    public async Task<IReadOnlyDictionary<ApplicationStatus, long>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<ApplicationStatus, long>();
        foreach (var status in Enum.GetValues<ApplicationStatus>())
        {
            long count = 0;
            using var iterator = applications.GetItemQueryIterator<long>(BuildQuery(status));
            while (iterator.HasMoreResults)
            {
                // Cross-partition, the SDK sums the partitions' counts; any partial results are added here.
                foreach (var partial in await iterator.ReadNextAsync(cancellationToken))
                {
                    count += partial;
                }
            }
            if (count > 0)
            {
                counts[status] = count;
            }
        }
        return counts;
    }
}
