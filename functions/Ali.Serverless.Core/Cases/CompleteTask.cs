using Ali.Serverless.Applications;
using Ali.Serverless.Catalog;
using Ali.Serverless.Common;
using Ali.Serverless.WorkingDays;
using Ali.Serverless.Identity;

namespace Ali.Serverless.Cases;

/// <summary><c>POST /tasks/{taskId}/complete</c>: what a reviewer or a department's system answers.</summary>
public sealed record CompleteTaskRequest(string? Outcome, string? Opinion, IReadOnlyList<MissingMaterialRequest?>? MissingMaterials);

public sealed record MissingMaterialRequest(string? Code, string? Reason);

/// <summary>Outcomes by task kind, as the wire names them.</summary>
public static class TaskOutcomes
{
    public const string Accept = "accept";
    public const string Supplement = "supplement";
    public const string NotAccept = "not-accept";
    public const string AcceptAndApprove = "accept-and-approve";
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string Cancelled = "cancelled";

    /// <summary>A rectification answered: the opinion is the reply the applicant reads.</summary>
    public const string Rectified = "rectified";

    public static IReadOnlyList<string> For(TaskKind kind) => kind switch
    {
        TaskKind.Acceptance => [Accept, Supplement, NotAccept, AcceptAndApprove],
        TaskKind.Rectification => [Rectified],
        _ => [Approve, Reject],
    };

    /// <summary>Outcomes that refuse something, and the reply to a bad review: the reasons must be written down.</summary>
    public static bool NeedsOpinion(string outcome) => outcome is NotAccept or Reject or Rectified;
}

public sealed partial class CaseWorkflow
{
    /// <summary>
    /// Completes an open task of the caller's department. Acceptance: accept (reviews start, limits are set),
    /// supplement (one notice of everything missing), not-accept, or accept-and-approve for a 即办件.
    /// Review: approve or reject; the last review creates the decision task. Decision: approve or reject ends the case.
    /// </summary>
    public async Task<Result<CaseTaskView>> CompleteTaskAsync(Caller caller, string taskId, CompleteTaskRequest request, CancellationToken cancellationToken)
    {
        var copy = await FindTaskAsync(caller, taskId, cancellationToken);
        if (copy is null)
        {
            return Result<CaseTaskView>.Fail(Problem.NotFound($"Task '{taskId}'"));
        }
        var item = await catalog.GetAsync(copy.ItemCode, cancellationToken);
        var validated = Validate(copy.Kind, request, item);
        if (!validated.IsSuccess)
        {
            return Result<CaseTaskView>.Fail(validated.Problem!);
        }
        var answer = validated.Value!;
        var result = await ChangeAsync(copy.OwnerId, copy.ApplicationId, caller, application =>
        {
            var task = application.Tasks.FirstOrDefault(t => t.Id == taskId);
            if (task is null || task.DepartmentCode != caller.Department)
            {
                return Problem.NotFound($"Task '{taskId}'");
            }
            if (task.State != TaskState.Open)
            {
                return Problem.Conflict("task-not-open", "Task no longer open.",
                    $"Task '{taskId}' is {task.State.ToString().ToLowerInvariant()}{(task.Outcome is null ? "" : $" with outcome '{task.Outcome}'")}; it cannot be completed again.",
                    new Dictionary<string, object?> { ["taskState"] = task.State.ToString().ToLowerInvariant(), ["outcome"] = task.Outcome, ["applicationStatus"] = application.Status.ToWire() });
            }
            if (item is null && task.Kind != TaskKind.Rectification)
            {
                return ItemWithdrawn(application);
            }
            var now = clock.GetUtcNow();
            var done = task with { State = TaskState.Done, Outcome = answer.Outcome, Opinion = answer.Opinion, Handler = caller.Subject, CompletedAt = now, MissingMaterials = answer.Missing };
            return task.Kind switch
            {
                TaskKind.Acceptance => Accepting(application, item!, done, now),
                TaskKind.Review => Reviewing(application, done, now),
                TaskKind.Rectification => Rectifying(application, done, now, caller),
                _ => Deciding(application, item!, done, now),
            };
        }, cancellationToken);
        if (!result.IsSuccess)
        {
            return Result<CaseTaskView>.Fail(result.Problem!);
        }
        return CaseTaskView.From(result.Value!.Tasks.First(t => t.Id == taskId), result.Value);
    }

    private sealed record Answer(string Outcome, string? Opinion, IReadOnlyList<MissingMaterialNotice>? Missing);

    private Result<Answer> Validate(TaskKind kind, CompleteTaskRequest request, ServiceItem? item)
    {
        var errors = new FieldErrors();
        var allowed = TaskOutcomes.For(kind);
        if (errors.Require("outcome", request.Outcome) && !allowed.Contains(request.Outcome!))
        {
            errors.Add("outcome", $"A {kind.ToString().ToLowerInvariant()} task's outcome is one of: {string.Join(", ", allowed)}.");
        }
        var outcome = request.Outcome ?? "";
        var opinion = TextRules.Optional(errors, "opinion", request.Opinion, TextKind.MultiLine, options.MaxOpinionLength);
        if (TaskOutcomes.NeedsOpinion(outcome) && string.IsNullOrWhiteSpace(request.Opinion))
        {
            errors.Add("opinion", $"'{outcome}' needs an opinion giving the reasons.");
        }
        if (outcome == TaskOutcomes.AcceptAndApprove && item is not null && item.CaseType != "1")
        {
            errors.Add("outcome", $"accept-and-approve is only for items handled on the spot (即办件, case type 1); item {item.ItemCode} is case type {item.CaseType}.");
        }
        List<MissingMaterialNotice>? missing = null;
        if (outcome == TaskOutcomes.Supplement)
        {
            missing = ValidateMissing(request.MissingMaterials, item, errors);
        }
        else if (request.MissingMaterials is not null)
        {
            errors.Add("missingMaterials", "missingMaterials goes only with the outcome 'supplement'.");
        }
        return errors.Any ? Result<Answer>.Fail(errors.ToProblem()) : new Answer(outcome, opinion, missing);
    }

    private List<MissingMaterialNotice>? ValidateMissing(IReadOnlyList<MissingMaterialRequest?>? requested, ServiceItem? item, FieldErrors errors)
    {
        if (requested is null || requested.Count == 0)
        {
            errors.Add("missingMaterials", "A supplement request lists every missing material at once (一次性告知): [{code, reason}].");
            return null;
        }
        var notices = new List<MissingMaterialNotice>();
        for (var i = 0; i < requested.Count; i++)
        {
            var entry = requested[i];
            var path = $"missingMaterials[{i}]";
            if (entry is null)
            {
                errors.Add(path, "Each entry is an object {code, reason}.");
                continue;
            }
            var codeOk = errors.Require($"{path}.code", entry.Code);
            if (codeOk && item is not null && item.FindMaterial(entry.Code!) is null)
            {
                errors.Add($"{path}.code", $"Item '{item.ItemCode}' asks for no material '{entry.Code}'. It asks for: {string.Join(", ", item.Materials.Select(m => m.Code))}.");
                codeOk = false;
            }
            if (codeOk && notices.Any(n => n.Code == entry.Code))
            {
                errors.Add($"{path}.code", $"Material '{entry.Code}' is listed twice.");
                codeOk = false;
            }
            var reason = TextRules.Required(errors, $"{path}.reason", entry.Reason, TextKind.MultiLine, options.MaxReasonLength);
            if (codeOk && reason is not null)
            {
                notices.Add(new MissingMaterialNotice(entry.Code!, reason));
            }
        }
        return notices;
    }

    private Result<Application> Accepting(Application application, ServiceItem item, CaseTask done, DateTimeOffset now)
    {
        var action = done.Outcome switch
        {
            TaskOutcomes.Accept => CaseAction.Accept,
            TaskOutcomes.Supplement => CaseAction.RequestSupplement,
            TaskOutcomes.NotAccept => CaseAction.NotAccept,
            _ => CaseAction.AcceptAndApprove,
        };
        if (!CaseTransitions.Allows(action, application.Status))
        {
            return CaseTransitions.NotAllowed(action, application);
        }
        var stepAction = action is CaseAction.RequestSupplement or CaseAction.NotAccept ? StepAction.Return : StepAction.Pass;
        var step = Step(action, stepAction, done.DepartmentCode, done.Handler!, done.Opinion, done.CreatedAt, now, done.Id);
        var moved = Move(application, action) with { Tasks = Replace(application.Tasks, [done]), Timeline = [.. application.Timeline, step] };
        switch (action)
        {
            case CaseAction.Accept:
            {
                var legal = calendar.DueAfter(now, item.LegalTimeLimitDays);
                var promised = calendar.DueAfter(now, Math.Min(item.PromisedTimeLimitDays, item.LegalTimeLimitDays));
                var reviewDue = ReviewDue(now, item, promised.Value);
                var departments = new[] { application.DepartmentCode }.Concat(item.CoImplementingDepartments).Distinct().ToList();
                var reviews = departments.Select((d, i) => NewTask(moved, TaskKind.Review, d, now, reviewDue, i)).ToList();
                var accepted = moved with { AcceptedAt = now, LegalDueAt = legal.Value, PromisedDueAt = promised.Value, Tasks = [.. moved.Tasks, .. reviews] };
                return accepted with
                {
                    Outbox =
                    [
                        .. application.Outbox, Event(accepted, CaseEventTypes.Accepted, now),
                        .. TaskEntries(accepted, [done, .. reviews], now, announce: true), .. CalendarWarning(accepted, now, legal, promised),
                    ],
                };
            }
            case CaseAction.RequestSupplement:
            {
                var requested = moved with { Supplement = new SupplementRequest(done.MissingMaterials!, done.Opinion, now) };
                return requested with { Outbox = [.. application.Outbox, Event(requested, CaseEventTypes.SupplementRequested, now, done.Id), .. TaskEntries(requested, [done], now, announce: false)] };
            }
            case CaseAction.NotAccept:
                return moved with { Outbox = [.. application.Outbox, Event(moved, CaseEventTypes.NotAccepted, now, done.Id), .. TaskEntries(moved, [done], now, announce: false)] };
            default:
            {
                // 即办件: accepted and decided in the same moment at the window.
                var completed = moved with
                {
                    AcceptedAt = now,
                    LegalDueAt = ChinaTimeEnd(now),
                    PromisedDueAt = ChinaTimeEnd(now),
                    Decision = new CaseDecision(TaskOutcomes.Approve, done.Opinion, now),
                };
                completed = WithLicence(completed, item);
                return completed with { Outbox = [.. application.Outbox, Event(completed, CaseEventTypes.Completed, now, done.Id), .. TaskEntries(completed, [done], now, announce: false), .. LicenceEntries(completed, item, now)] };
            }
        }
    }

    /// <summary>An approval of an item with a result licence names its licence in the same write as the decision.</summary>
    private static Application WithLicence(Application approved, ServiceItem item) =>
        item.ResultLicence is null ? approved : approved with { LicenceId = Licences.LicenceNumbers.IdFor(approved.Id) };

    /// <summary>The outbox entry that issues the licence: done after the write, exactly once (the licence id is fixed).</summary>
    private static IEnumerable<OutboxEntry> LicenceEntries(Application approved, ServiceItem item, DateTimeOffset now)
    {
        if (approved.LicenceId is not null && item.ResultLicence is { } licence)
        {
            yield return Entry(approved, OutboxKind.IssueLicence, now) with
            {
                Licence = new Licences.LicenceOrder(licence.TypeCode, licence.Name.Zh, licence.ValidityYears, item.DepartmentName.Zh),
            };
        }
    }

    /// <summary>
    /// Reviews end one working day before the promised limit, leaving that day for the decision; a limit
    /// of one working day or less leaves both on the same day.
    /// </summary>
    private DateTimeOffset ReviewDue(DateTimeOffset acceptedAt, ServiceItem item, DateTimeOffset promisedDue)
    {
        var promisedDays = Math.Min(item.PromisedTimeLimitDays, item.LegalTimeLimitDays);
        return promisedDays <= 1 ? promisedDue : calendar.DueAfter(acceptedAt, promisedDays - 1).Value;
    }

    private static DateTimeOffset ChinaTimeEnd(DateTimeOffset now) => WorkingDays.ChinaTime.EndOfDay(WorkingDays.ChinaTime.DateOf(now));

    private Result<Application> Reviewing(Application application, CaseTask done, DateTimeOffset now)
    {
        if (!CaseTransitions.Allows(CaseAction.Review, application.Status))
        {
            return CaseTransitions.NotAllowed(CaseAction.Review, application);
        }
        var step = Step(CaseAction.Review, done.Outcome == TaskOutcomes.Approve ? StepAction.Pass : StepAction.Return, done.DepartmentCode, done.Handler!, done.Opinion, done.CreatedAt, now, done.Id);
        var reviewed = application with { Tasks = Replace(application.Tasks, [done]), Timeline = [.. application.Timeline, step] };
        var stillOpen = reviewed.Tasks.Any(t => t is { Kind: TaskKind.Review, State: TaskState.Open });
        if (stillOpen)
        {
            return reviewed with { Outbox = [.. application.Outbox, .. TaskEntries(reviewed, [done], now, announce: false)] };
        }
        // Every department has given its opinion: the item's department decides (决定).
        var decision = NewTask(reviewed, TaskKind.Decision, application.DepartmentCode, now, application.PromisedDueAt ?? ChinaTimeEnd(now));
        var deciding = reviewed with { Tasks = [.. reviewed.Tasks, decision] };
        return deciding with { Outbox = [.. application.Outbox, .. TaskEntries(deciding, [done, decision], now, announce: true)] };
    }

    private Result<Application> Deciding(Application application, ServiceItem item, CaseTask done, DateTimeOffset now)
    {
        if (!CaseTransitions.Allows(CaseAction.Decide, application.Status))
        {
            return CaseTransitions.NotAllowed(CaseAction.Decide, application);
        }
        var step = Step(CaseAction.Decide, done.Outcome == TaskOutcomes.Approve ? StepAction.Pass : StepAction.Return, done.DepartmentCode, done.Handler!, done.Opinion, done.CreatedAt, now, done.Id);
        var decided = Move(application, CaseAction.Decide) with
        {
            Tasks = Replace(application.Tasks, [done]),
            Timeline = [.. application.Timeline, step],
            Decision = new CaseDecision(done.Outcome!, done.Opinion, now),
        };
        var issuing = done.Outcome == TaskOutcomes.Approve ? WithLicence(decided, item) : decided;
        return issuing with { Outbox = [.. application.Outbox, Event(issuing, CaseEventTypes.Completed, now, done.Id), .. TaskEntries(issuing, [done], now, announce: false), .. LicenceEntries(issuing, item, now)] };
    }
}
