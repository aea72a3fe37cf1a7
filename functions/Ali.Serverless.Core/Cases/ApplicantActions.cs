using Ali.Serverless.Applications;
using Ali.Serverless.Common;
using Ali.Serverless.WorkingDays;
using Ali.Serverless.Identity;

namespace Ali.Serverless.Cases;

public sealed record WithdrawRequest(string? Reason);

/// <summary>What the applicant (or the hall, for a window application) does to a running case.</summary>
public sealed partial class CaseWorkflow
{
    /// <summary>Withdraws the application before completion; its open tasks are cancelled and their departments told.</summary>
    public async Task<Result<Application>> WithdrawAsync(Caller caller, string applicationId, WithdrawRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var reason = TextRules.Optional(errors, "reason", request.Reason, TextKind.MultiLine, options.MaxReasonLength);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        if (!IsId(applicationId))
        {
            return Problem.NotFound($"Application '{applicationId}'");
        }
        return await ChangeAsync(caller.OwnerId, applicationId, caller, application =>
        {
            if (application.Status == ApplicationStatus.Withdrawn)
            {
                return application;
            }
            if (!CaseTransitions.Allows(CaseAction.Withdraw, application.Status))
            {
                return CaseTransitions.NotAllowed(CaseAction.Withdraw, application);
            }
            var now = clock.GetUtcNow();
            var cancelled = application.Tasks.Where(t => t.State == TaskState.Open)
                .Select(t => t with { State = TaskState.Cancelled, Outcome = TaskOutcomes.Cancelled, Opinion = "Withdrawn by the applicant.", CompletedAt = now })
                .ToList();
            var step = Step(CaseAction.Withdraw, StepAction.Other, null, caller.IsWindowClerk ? caller.Subject : ApplicantHandler, reason, now, now);
            var withdrawn = Move(application, CaseAction.Withdraw) with
            {
                Language = caller.Language ?? application.Language,
                Tasks = Replace(application.Tasks, cancelled),
                Timeline = [.. application.Timeline, step],
                Withdrawal = new Withdrawal(reason, caller.IsWindowClerk ? caller.Subject : ApplicantHandler, now),
            };
            // A draft has no case number yet: nobody else knows of it, so there is nothing to tell.
            return application.CaseNumber is null
                ? withdrawn
                : withdrawn with { Outbox = [.. application.Outbox, Event(withdrawn, CaseEventTypes.Withdrawn, now), .. TaskEntries(withdrawn, cancelled, now, announce: false)] };
        }, cancellationToken);
    }

    /// <summary>
    /// Hands a supplemented application back for acceptance, once every material named in the request
    /// was declared, uploaded and verified again after it; everything still missing is named at once.
    /// </summary>
    public async Task<Result<Application>> ResubmitAsync(Caller caller, string applicationId, CancellationToken cancellationToken)
    {
        if (!IsId(applicationId))
        {
            return Problem.NotFound($"Application '{applicationId}'");
        }
        return await ChangeAsync(caller.OwnerId, applicationId, caller, application =>
        {
            if (!CaseTransitions.Allows(CaseAction.Resubmit, application.Status) || application.Supplement is null)
            {
                return CaseTransitions.NotAllowed(CaseAction.Resubmit, application);
            }
            var requestedAt = application.Supplement.RequestedAt;
            var missing = application.Supplement.Materials
                .Where(n => !application.Materials.Any(m => m.Code == n.Code && m.IsVerified && m.DeclaredAt > requestedAt))
                .ToList();
            if (missing.Count > 0)
            {
                return Problem.Unprocessable(
                    "materials-missing",
                    "Requested materials are not supplemented yet.",
                    $"{missing.Count} material(s) named in the supplement request must be declared, uploaded and verified again: {string.Join(", ", missing.Select(m => m.Code))}.",
                    missing.ToDictionary(m => $"materials.{m.Code}", m => new[] { $"Supplement requested: {m.Reason}" }),
                    new Dictionary<string, object?> { ["missingMaterials"] = missing });
            }
            var now = clock.GetUtcNow();
            var due = calendar.DueAfter(now, options.AcceptanceWorkingDays);
            var task = NewTask(application, TaskKind.Acceptance, application.DepartmentCode, now, due.Value);
            var step = Step(CaseAction.Resubmit, StepAction.Pass, application.DepartmentCode, caller.IsWindowClerk ? caller.Subject : ApplicantHandler, null, requestedAt, now);
            var resubmitted = Move(application, CaseAction.Resubmit) with
            {
                Language = caller.Language ?? application.Language,
                Supplement = null,
                Tasks = [.. application.Tasks, task],
                Timeline = [.. application.Timeline, step],
            };
            return resubmitted with
            {
                Outbox = [.. application.Outbox, Event(resubmitted, CaseEventTypes.Resubmitted, now), .. TaskEntries(resubmitted, [task], now, announce: true), .. CalendarWarning(resubmitted, now, due)],
            };
        }, cancellationToken);
    }
}
