using Ali.Serverless.Applications;
using Ali.Serverless.Statistics;

namespace Ali.Serverless.Evaluations;

/// <summary>
/// Copies of reviews partitioned by the item's department: a department's or an item's public list is one
/// partition. The case document holds the truth; the copy is written through the case's outbox and
/// never overwritten by an older <see cref="Evaluation.Version"/>. Statistics read it through
/// <see cref="IEvaluationFacts"/> (cross-partition, timer only).
/// </summary>
public interface IEvaluationStore : IEvaluationFacts
{
    /// <summary>Creates the copy, or replaces it if <paramref name="evaluation"/> is newer (idempotent).</summary>
    Task UpsertAsync(Evaluation evaluation, CancellationToken cancellationToken);

    Task<Evaluation?> GetAsync(string departmentCode, string id, CancellationToken cancellationToken);

    /// <summary>
    /// Reviews of one department that are not voided, newest first; <paramref name="itemCode"/> narrows
    /// them to one item.
    /// </summary>
    Task<Page<Evaluation>> ListPublishedAsync(string departmentCode, string? itemCode, int pageSize, string? continuationToken, CancellationToken cancellationToken);

    /// <summary>Reviews whose appeal waits for a supervisor, of every department, oldest review first (few; cross-partition).</summary>
    Task<Page<Evaluation>> ListPendingAppealsAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken);
}
