using Ali.Serverless.Applications;
using Ali.Serverless.Evaluations;
using Ali.Serverless.Statistics;

namespace Ali.Serverless.Core.Tests.Support;

/// <summary>Review copies in memory, keeping the newest version like the real stores.</summary>
internal sealed class InMemoryEvaluationStore : IEvaluationStore
{
    public Dictionary<(string Department, string Id), Evaluation> Copies { get; } = [];

    public int Writes { get; private set; }

    public Task UpsertAsync(Evaluation evaluation, CancellationToken cancellationToken)
    {
        Writes++;
        var key = (evaluation.DepartmentCode, evaluation.Id);
        if (!Copies.TryGetValue(key, out var existing) || existing.Version < evaluation.Version)
        {
            Copies[key] = evaluation.ForStore();
        }
        return Task.CompletedTask;
    }

    public Task<Evaluation?> GetAsync(string departmentCode, string id, CancellationToken cancellationToken) =>
        Task.FromResult(Copies.GetValueOrDefault((departmentCode, id)));

    public Task<Page<Evaluation>> ListPublishedAsync(string departmentCode, string? itemCode, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var items = Copies.Values.Where(e => e.DepartmentCode == departmentCode && !e.Voided && (itemCode is null || e.ItemCode == itemCode))
            .OrderByDescending(e => e.EvaluatedAt).ThenByDescending(e => e.Id, StringComparer.Ordinal).Take(pageSize).ToList();
        return Task.FromResult(new Page<Evaluation>(items, null));
    }

    public Task<Page<Evaluation>> ListPendingAppealsAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var items = Copies.Values.Where(e => e.Appeal?.State == AppealState.Pending).OrderBy(e => e.EvaluatedAt).Take(pageSize).ToList();
        return Task.FromResult(new Page<Evaluation>(items, null));
    }

    public Task<IReadOnlyList<EvaluationFact>> ListEvaluatedBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        IReadOnlyList<EvaluationFact> facts = Copies.Values.Where(e => e.EvaluatedAt >= from && e.EvaluatedAt < to).OrderBy(e => e.EvaluatedAt).Select(e => e.ToFact()).ToList();
        return Task.FromResult(facts);
    }
}
