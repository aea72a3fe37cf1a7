using Ali.Serverless.Catalog;
using Ali.Serverless.Applications;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Ali.Serverless.WorkingDays;

namespace Ali.Serverless.Supervision;

public sealed record SupervisionOptions
{
    /// <summary>A limit is near due when this many working days or fewer are left (default 2).</summary>
    public int NearDueWorkingDays { get; init; } = 2;

    /// <summary>How many tasks and cases one run looks at.</summary>
    public int BatchSize { get; init; } = 500;
}

/// <summary>What one supervision run found.</summary>
public sealed record SupervisionRun(int Raised, int Requeued);

/// <summary>
/// Electronic supervision (电子监察): finds open tasks and running cases whose limits are near or past,
/// and raises each warning once per subject and level.
/// </summary>
public sealed class Supervisor(
    ITaskStore tasks,
    IApplicationStore applications,
    IWarningStore warnings,
    WarningRaiser raiser,
    IWorkingCalendar calendar,
    TimeProvider clock,
    SupervisionOptions options)
{
    public async Task<SupervisionRun> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Near due: the limit ends within N working days, i.e. no later than 24:00 of the Nth working day after today.
        var horizon = calendar.DueAfter(now, options.NearDueWorkingDays).Value;
        var raised = 0;
        foreach (var copy in await tasks.ListOpenDueBeforeAsync(horizon, options.BatchSize, cancellationToken))
        {
            // The department's copy may lag behind the case; warn only on what the case says.
            var stored = await applications.GetAsync(copy.OwnerId, copy.ApplicationId, cancellationToken);
            var task = stored?.Value.Tasks.FirstOrDefault(t => t.Id == copy.Id);
            if (stored is null || task is not { State: TaskState.Open } || stored.Value.Status == ApplicationStatus.Suspended)
            {
                continue;
            }
            // A rectification (好差评) is its own limit, so supervisors can tell it from the case's handling.
            var limit = task.Kind == TaskKind.Rectification ? "rectification" : "task";
            raised += await RaiseIfDueAsync(stored.Value, "task", task.Id, limit, task.DepartmentCode, task.DueAt, now, horizon, task.Id, cancellationToken);
        }
        foreach (var application in await applications.ListUnderReviewDueBeforeAsync(horizon, options.BatchSize, cancellationToken))
        {
            if (application.Status != ApplicationStatus.UnderReview || application.CaseNumber is null)
            {
                continue;
            }
            if (application.PromisedDueAt is { } promised)
            {
                raised += await RaiseIfDueAsync(application, "case", application.CaseNumber, "promised", application.DepartmentCode, promised, now, horizon, null, cancellationToken);
            }
            if (application.LegalDueAt is { } legal)
            {
                raised += await RaiseIfDueAsync(application, "case", application.CaseNumber, "legal", application.DepartmentCode, legal, now, horizon, null, cancellationToken);
            }
        }
        var requeued = await raiser.RequeueAsync(options.BatchSize, cancellationToken);
        return new SupervisionRun(raised, requeued);
    }

    public async Task<Result<Page<SupervisionWarning>>> ListAsync(string? level, string? department, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (level is not null && !WarningLevels.All.Contains(level))
        {
            errors.Add("level", $"level is one of: {string.Join(", ", WarningLevels.All)}.");
        }
        if (department is not null && !DepartmentCodes.IsWellFormed(department))
        {
            errors.Add("department", DepartmentCodes.Rule);
        }
        var size = pageSize ?? CaseWorkflow.DefaultPageSize;
        if (size is < 1 or > CaseWorkflow.MaxPageSize)
        {
            errors.Add("pageSize", $"pageSize is between 1 and {CaseWorkflow.MaxPageSize}.");
        }
        if (errors.Any)
        {
            return Result<Page<SupervisionWarning>>.Fail(errors.ToProblem());
        }
        try
        {
            return await warnings.ListAsync(level, department, size, continuationToken, cancellationToken);
        }
        catch (InvalidContinuationTokenException)
        {
            return Result<Page<SupervisionWarning>>.Fail(Problem.InvalidField("continuationToken", "The continuation token is not one this list issued."));
        }
    }

    private async Task<int> RaiseIfDueAsync(
        Application application, string subject, string subjectId, string limit, string department, DateTimeOffset dueAt,
        DateTimeOffset now, DateTimeOffset horizon, string? taskId, CancellationToken cancellationToken)
    {
        var level = dueAt <= now ? WarningLevels.Overdue : dueAt <= horizon ? WarningLevels.NearDue : null;
        if (level is null)
        {
            return 0;
        }
        // The timer's run is a trace of its own; each warning is a span of its case's trace, linked to the run.
        using var span = Operations.CaseTelemetry.StartCaseSpan("case RaiseWarning", application.TraceParent);
        span?.SetTag(Operations.CaseTelemetry.CaseNumberTag, application.CaseNumber);
        span?.SetTag(Operations.CaseTelemetry.DepartmentTag, department);
        span?.SetTag(Operations.CaseTelemetry.WarningLevelTag, level);
        span?.SetTag(Operations.CaseTelemetry.WarningLimitTag, limit);
        var warning = new SupervisionWarning
        {
            Id = WarningRaiser.IdFor(level, limit, subjectId),
            Level = level,
            Subject = subject,
            TaskId = taskId,
            CaseNumber = application.CaseNumber!,
            ApplicationId = application.Id,
            OwnerId = application.OwnerId,
            DepartmentCode = department,
            Limit = limit,
            DueAt = dueAt,
            RaisedAt = now,
            TraceParent = application.TraceParent,
        };
        return await raiser.RaiseAsync(warning, cancellationToken) ? 1 : 0;
    }
}
