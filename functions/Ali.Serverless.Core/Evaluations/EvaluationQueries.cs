using Ali.Serverless.Applications;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;

namespace Ali.Serverless.Evaluations;

/// <summary>
/// What the public sees of reviews (好差评 公开): per item and per department, voided ones left out, no
/// applicant, no case number, only the masked text. One partition of the evaluations store each.
/// </summary>
public sealed class EvaluationQueries(IEvaluationStore evaluations, ICatalogStore catalog)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public async Task<Result<Page<Evaluation>>> ForItemAsync(string itemCode, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var size = PageSize(pageSize);
        if (!size.IsSuccess)
        {
            return Result<Page<Evaluation>>.Fail(size.Problem!);
        }
        var item = ItemCodes.IsWellFormed(itemCode) ? await catalog.GetAsync(itemCode, cancellationToken) : null;
        if (item is null)
        {
            return Result<Page<Evaluation>>.Fail(Problem.NotFound($"Service item '{itemCode}'"));
        }
        return await ListAsync(item.DepartmentCode, item.ItemCode, size.Value, continuationToken, cancellationToken);
    }

    public async Task<Result<Page<Evaluation>>> ForDepartmentAsync(string departmentCode, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (!DepartmentCodes.IsWellFormed(departmentCode))
        {
            errors.Add("departmentCode", DepartmentCodes.Rule);
        }
        var size = PageSize(pageSize);
        if (!size.IsSuccess)
        {
            errors.Add("pageSize", size.Problem!.Errors!["pageSize"][0]);
        }
        if (errors.Any)
        {
            return Result<Page<Evaluation>>.Fail(errors.ToProblem());
        }
        return await ListAsync(departmentCode, null, size.Value, continuationToken, cancellationToken);
    }

    /// <summary>For supervisors: the reviews whose appeal waits for their decision, oldest first.</summary>
    public async Task<Result<Page<Evaluation>>> PendingAppealsAsync(int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var size = PageSize(pageSize);
        if (!size.IsSuccess)
        {
            return Result<Page<Evaluation>>.Fail(size.Problem!);
        }
        try
        {
            return await evaluations.ListPendingAppealsAsync(size.Value, continuationToken, cancellationToken);
        }
        catch (InvalidContinuationTokenException)
        {
            return Result<Page<Evaluation>>.Fail(Problem.InvalidField("continuationToken", "The continuation token is not one this list issued."));
        }
    }

    private async Task<Result<Page<Evaluation>>> ListAsync(string departmentCode, string? itemCode, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        try
        {
            return await evaluations.ListPublishedAsync(departmentCode, itemCode, pageSize, continuationToken, cancellationToken);
        }
        catch (InvalidContinuationTokenException)
        {
            return Result<Page<Evaluation>>.Fail(Problem.InvalidField("continuationToken", "The continuation token is not one this list issued."));
        }
    }

    private static Result<int> PageSize(int? pageSize)
    {
        var size = pageSize ?? DefaultPageSize;
        return size is < 1 or > MaxPageSize
            ? Result<int>.Fail(Problem.InvalidField("pageSize", $"pageSize is between 1 and {MaxPageSize}."))
            : size;
    }
}
