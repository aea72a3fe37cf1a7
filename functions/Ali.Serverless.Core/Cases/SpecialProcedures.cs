using System.Security.Cryptography;
using System.Text;
using Ali.Serverless.Applications;
using Ali.Serverless.Common;
using Ali.Serverless.Identity;
using Ali.Serverless.WorkingDays;

namespace Ali.Serverless.Cases;

public sealed record StartSpecialProcedureRequest(string? Kind, string? Reason);

public sealed record EndSpecialProcedureRequest(string? Result);

/// <summary>GB/T 39046 special procedure kinds (特别程序种类).</summary>
public static class SpecialProcedureKinds
{
    /// <summary>延长审批: ten more working days on the legal limit, once (行政许可法 §42).</summary>
    public const string Extension = "extension";

    public const int ExtensionWorkingDays = 10;

    /// <summary>听证, 检验, 检测, 检疫, 鉴定, 专家评审, 实地核查: their time is not counted (§45).</summary>
    public static readonly IReadOnlyList<string> Pausing = ["hearing", "inspection", "testing", "quarantine", "appraisal", "expert-review", "site-check"];

    public static IReadOnlyList<string> All => [Extension, .. Pausing];
}

/// <summary>Special procedures, started and ended by the item's department.</summary>
public sealed partial class CaseWorkflow
{
    /// <summary>
    /// Starts a special procedure. An extension moves the legal limit by ten working days, once; the
    /// pausing kinds suspend the case until they end.
    /// </summary>
    public async Task<Result<SpecialProcedure>> StartSpecialProcedureAsync(Caller caller, string caseNumber, StartSpecialProcedureRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (errors.Require("kind", request.Kind) && !SpecialProcedureKinds.All.Contains(request.Kind!))
        {
            errors.Add("kind", $"kind is one of: {string.Join(", ", SpecialProcedureKinds.All)}.");
        }
        var reason = TextRules.Required(errors, "reason", request.Reason, TextKind.MultiLine, options.MaxReasonLength);
        if (errors.Any)
        {
            return Result<SpecialProcedure>.Fail(errors.ToProblem());
        }
        var found = await FindOwnCaseAsync(caller, caseNumber, cancellationToken);
        if (found is null)
        {
            return Result<SpecialProcedure>.Fail(Problem.NotFound($"Case '{caseNumber}'"));
        }
        var kind = request.Kind!;
        var isExtension = kind == SpecialProcedureKinds.Extension;
        string? procedureId = null;
        var result = await ChangeAsync(found.OwnerId, found.Id, caller, application =>
        {
            var action = isExtension ? CaseAction.Extend : CaseAction.Suspend;
            if (!CaseTransitions.Allows(action, application.Status))
            {
                return CaseTransitions.NotAllowed(action, application);
            }
            if (isExtension && application.SpecialProcedures.Any(p => p.Kind == SpecialProcedureKinds.Extension))
            {
                return Problem.Conflict("extension-already-granted", "Already extended.",
                    $"Case {application.CaseNumber} was already extended once; the law allows one extension of {SpecialProcedureKinds.ExtensionWorkingDays} working days.");
            }
            var now = clock.GetUtcNow();
            procedureId = ProcedureId(application);
            var procedure = new SpecialProcedure
            {
                Id = procedureId,
                Kind = kind,
                Reason = reason!,
                RequestedBy = caller.Subject,
                StartedAt = now,
                // An extension is granted in the moment it is recorded; it does not stay open.
                EndedAt = isExtension ? now : null,
                Result = isExtension ? $"Legal limit extended by {SpecialProcedureKinds.ExtensionWorkingDays} working days." : null,
            };
            var step = Step(action, StepAction.Other, application.DepartmentCode, caller.Subject, $"{kind}: {reason}", now, now);
            var changed = Move(application, action) with
            {
                SpecialProcedures = [.. application.SpecialProcedures, procedure],
                Timeline = [.. application.Timeline, step],
            };
            if (isExtension)
            {
                var legal = calendar.MoveDue(application.LegalDueAt ?? ChinaTimeEnd(now), SpecialProcedureKinds.ExtensionWorkingDays);
                changed = changed with { LegalDueAt = legal.Value };
                return changed with { Outbox = [.. application.Outbox, Event(changed, CaseEventTypes.SpecialProcedureStarted, now, procedureId: procedureId), .. CalendarWarning(changed, now, legal)] };
            }
            return changed with { Outbox = [.. application.Outbox, Event(changed, CaseEventTypes.SpecialProcedureStarted, now, procedureId: procedureId)] };
        }, cancellationToken);
        if (!result.IsSuccess)
        {
            return Result<SpecialProcedure>.Fail(result.Problem!);
        }
        return result.Value!.SpecialProcedures.First(p => p.Id == procedureId);
    }

    /// <summary>
    /// Ends a pausing procedure with its result and resumes the case. Both limits, and the open tasks,
    /// move by the working days the procedure lasted (§45: that time is not counted).
    /// </summary>
    public async Task<Result<SpecialProcedure>> EndSpecialProcedureAsync(Caller caller, string caseNumber, string procedureId, EndSpecialProcedureRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var outcome = TextRules.Required(errors, "result", request.Result, TextKind.MultiLine, options.MaxOpinionLength);
        if (errors.Any)
        {
            return Result<SpecialProcedure>.Fail(errors.ToProblem());
        }
        var found = await FindOwnCaseAsync(caller, caseNumber, cancellationToken);
        if (found is null || found.SpecialProcedures.All(p => p.Id != procedureId))
        {
            return Result<SpecialProcedure>.Fail(Problem.NotFound($"Special procedure '{procedureId}' of case '{caseNumber}'"));
        }
        var result = await ChangeAsync(found.OwnerId, found.Id, caller, application =>
        {
            var procedure = application.SpecialProcedures.First(p => p.Id == procedureId);
            if (!procedure.IsOpen)
            {
                return Problem.Conflict("procedure-ended", "Special procedure already ended.",
                    $"Special procedure '{procedureId}' ({procedure.Kind}) ended at {procedure.EndedAt:O}.");
            }
            if (!CaseTransitions.Allows(CaseAction.Resume, application.Status))
            {
                return CaseTransitions.NotAllowed(CaseAction.Resume, application);
            }
            var now = clock.GetUtcNow();
            var paused = calendar.CountWorkingDays(ChinaTime.DateOf(procedure.StartedAt), ChinaTime.DateOf(now));
            var ended = procedure with { EndedAt = now, Result = outcome, PausedWorkingDays = paused.Value };
            var legal = calendar.MoveDue(application.LegalDueAt ?? ChinaTimeEnd(now), paused.Value);
            var promised = calendar.MoveDue(application.PromisedDueAt ?? ChinaTimeEnd(now), paused.Value);
            var moved = application.Tasks.Where(t => t.State == TaskState.Open)
                .Select(t => t with { DueAt = calendar.MoveDue(t.DueAt, paused.Value).Value }).ToList();
            var step = Step(CaseAction.Resume, StepAction.Other, application.DepartmentCode, caller.Subject, $"{procedure.Kind}: {outcome}", procedure.StartedAt, now);
            var resumed = Move(application, CaseAction.Resume) with
            {
                SpecialProcedures = application.SpecialProcedures.Select(p => p.Id == procedureId ? ended : p).ToList(),
                LegalDueAt = legal.Value,
                PromisedDueAt = promised.Value,
                Tasks = Replace(application.Tasks, moved),
                Timeline = [.. application.Timeline, step],
            };
            return resumed with
            {
                Outbox =
                [
                    .. application.Outbox, Event(resumed, CaseEventTypes.SpecialProcedureEnded, now, procedureId: procedureId),
                    .. TaskEntries(resumed, moved, now, announce: false), .. CalendarWarning(resumed, now, legal, promised, new Counted<DateTimeOffset>(now, paused.MissingYears)),
                ],
            };
        }, cancellationToken);
        if (!result.IsSuccess)
        {
            return Result<SpecialProcedure>.Fail(result.Problem!);
        }
        return result.Value!.SpecialProcedures.First(p => p.Id == procedureId);
    }

    /// <summary>The case, if the caller is staff of the item's department (only they run its special procedures).</summary>
    private async Task<Application?> FindOwnCaseAsync(Caller caller, string caseNumber, CancellationToken cancellationToken)
    {
        var stored = await FindCaseAsync(caseNumber, cancellationToken);
        return stored is not null && caller.IsDepartmentStaff && stored.Value.DepartmentCode == caller.Department ? stored.Value : null;
    }

    private static string ProcedureId(Application application) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{application.Id}\nprocedure\n{application.SpecialProcedures.Count}")).AsSpan(0, 16));
}
