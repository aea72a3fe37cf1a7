using Ali.Serverless.Applications;
using Ali.Serverless.Audit;
using Ali.Serverless.Common;
using Ali.Serverless.Identity;

namespace Ali.Serverless.Cases;

/// <summary>Reading tasks and cases: point reads and one-partition queries only.</summary>
public sealed partial class CaseWorkflow
{
    /// <summary>The open tasks of the caller's department, soonest due first.</summary>
    public async Task<Result<Page<CaseTask>>> WorklistAsync(Caller caller, string? kind, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        TaskKind? taskKind = kind switch
        {
            null or "" => null,
            "acceptance" => TaskKind.Acceptance,
            "review" => TaskKind.Review,
            "decision" => TaskKind.Decision,
            "rectification" => TaskKind.Rectification,
            _ => Invalid(errors, "kind", "kind is acceptance, review, decision or rectification."),
        };
        var size = pageSize ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            errors.Add("pageSize", $"pageSize is between 1 and {MaxPageSize}.");
        }
        if (errors.Any)
        {
            return Result<Page<CaseTask>>.Fail(errors.ToProblem());
        }
        try
        {
            return await tasks.ListOpenAsync(caller.Department!, taskKind, size, continuationToken, cancellationToken);
        }
        catch (InvalidContinuationTokenException)
        {
            return Result<Page<CaseTask>>.Fail(Problem.InvalidField("continuationToken", "The continuation token is not one this list issued."));
        }
    }

    /// <summary>A task of the caller's department with its case; any other task is 404, whether it exists or not.</summary>
    public async Task<Result<CaseTaskView>> GetTaskAsync(Caller caller, string taskId, CancellationToken cancellationToken)
    {
        var copy = await FindTaskAsync(caller, taskId, cancellationToken);
        if (copy is null)
        {
            await AuditReadAsync(caller, AuditActions.TaskRead, null, $"task:{AuditActions.Clipped(taskId)}", AuditActions.Refused, cancellationToken);
            return Result<CaseTaskView>.Fail(Problem.NotFound($"Task '{taskId}'"));
        }
        var stored = await applications.GetAsync(copy.OwnerId, copy.ApplicationId, cancellationToken);
        var task = stored?.Value.Tasks.FirstOrDefault(t => t.Id == taskId);
        if (stored is null || task is null)
        {
            await AuditReadAsync(caller, AuditActions.TaskRead, null, $"task:{taskId}", AuditActions.Refused, cancellationToken);
            return Result<CaseTaskView>.Fail(Problem.NotFound($"Task '{taskId}'"));
        }
        await AuditReadAsync(caller, AuditActions.TaskRead, stored.Value.CaseNumber, $"task:{taskId}", AuditActions.Success, cancellationToken);
        if (!task.SameAs(copy))
        {
            // The department's copy lags behind the case (its outbox is not done yet): repair it now.
            await tasks.UpsertAsync(task, cancellationToken);
        }
        return CaseTaskView.From(task, stored.Value);
    }

    /// <summary>
    /// A case by its number: for supervisors, and for department staff whose department has a task on
    /// it. Everyone else gets 404, so case numbers cannot be probed.
    /// </summary>
    public async Task<Result<Application>> GetCaseAsync(Caller caller, string caseNumber, CancellationToken cancellationToken)
    {
        var stored = await FindCaseAsync(caseNumber, cancellationToken);
        if (stored is null || !(caller.IsSupervisor || CaseAccess.DepartmentHasTask(caller, stored.Value)))
        {
            // Refused reads go to the day's chain: putting them on the case would tell a prober the number exists.
            await AuditReadAsync(caller, AuditActions.CaseRead, null, $"case:{AuditActions.Clipped(caseNumber)}", AuditActions.Refused, cancellationToken);
            return Problem.NotFound($"Case '{caseNumber}'");
        }
        await AuditReadAsync(caller, AuditActions.CaseRead, caseNumber, $"case:{caseNumber}", AuditActions.Success, cancellationToken);
        return stored.Value;
    }

    /// <summary>
    /// A page of a case's audit chain with its verification, oldest first, for supervisors (the permission table says
    /// who). A verifier walks the pages with <c>continuationToken</c>; each page is checked from the record before it
    /// (decision 27). The read itself is audited after it.
    /// </summary>
    public async Task<Result<CaseAudit>> GetAuditAsync(Caller caller, string caseNumber, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var size = pageSize ?? AuditPages.DefaultPageSize;
        if (size is < 1 or > AuditPages.MaxPageSize)
        {
            errors.Add("pageSize", $"pageSize is between 1 and {AuditPages.MaxPageSize}.");
        }
        long from = 0;
        if (continuationToken is not null && !AuditPages.TryReadToken(continuationToken, out from))
        {
            errors.Add("continuationToken", "The continuation token is not one this trail issued.");
        }
        if (errors.Any)
        {
            return Result<CaseAudit>.Fail(errors.ToProblem());
        }
        // The index alone says whether the number is a case: the trail needs nothing of the application, and it is kept
        // (decision 11) after retention has removed the application (decision 15).
        var known = await CaseAccess.FindEntryAsync(caseIndex, caseNumber, cancellationToken) is not null;
        if (!known || !caller.IsSupervisor)
        {
            await AuditReadAsync(caller, AuditActions.AuditRead, null, $"case:{AuditActions.Clipped(caseNumber)}", AuditActions.Refused, cancellationToken);
            return Result<CaseAudit>.Fail(Problem.NotFound($"Case '{caseNumber}'"));
        }
        var page = await audit.ReadPageAsync(caseNumber, from, size, cancellationToken);
        if (page.Records.Count == 0 && !page.AnchorFound)
        {
            // Nothing at or before the token's place: it points past the chain's end, so this trail never issued it.
            return Result<CaseAudit>.Fail(Problem.InvalidField("continuationToken", "The continuation token is not one this trail issued."));
        }
        await AuditReadAsync(caller, AuditActions.AuditRead, caseNumber, $"case:{caseNumber}", AuditActions.Success, cancellationToken);
        return new CaseAudit(caseNumber, page.Records, page.Verification, page.FromSequence, page.ToSequence,
            page.NextSequence is { } next ? AuditPages.Token(next) : null);
    }

    /// <summary>Staff reads are audited; a failure to write the record is reported, and the read still answers (decision 11).</summary>
    private Task AuditReadAsync(Caller caller, string action, string? caseNumber, string target, string outcome, CancellationToken cancellationToken)
        => audit.TryAppendAsync(AuditEntry.By(caller, caseNumber, action, target, outcome, clock.GetUtcNow()), cancellationToken);

    private async Task<CaseTask?> FindTaskAsync(Caller caller, string taskId, CancellationToken cancellationToken) =>
        caller.IsDepartmentStaff && caller.Department is not null && IsId(taskId)
            ? await tasks.GetAsync(caller.Department, taskId, cancellationToken)
            : null;

    private Task<Stored<Application>?> FindCaseAsync(string caseNumber, CancellationToken cancellationToken) =>
        CaseAccess.FindCaseAsync(caseIndex, applications, caseNumber, cancellationToken);

    private static TaskKind? Invalid(FieldErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return null;
    }
}
