using Ali.Serverless.Applications;
using Ali.Serverless.Common;
using Ali.Serverless.WorkingDays;
using Ali.Serverless.Pipeline;

namespace Ali.Serverless.Cases;

/// <summary>The automated pre-check that turns a submission into a case waiting for acceptance.</summary>
public sealed partial class CaseWorkflow
{
    /// <summary>
    /// Checks a submitted application: the item is still in force, and every required material is present
    /// and verified. Passes it to the item's department as an acceptance task due in five working days;
    /// otherwise refuses it (item withdrawn) or asks for the missing materials at once. A second delivery
    /// of the same message finds the case no longer <c>submitted</c> and changes nothing.
    /// </summary>
    public Task<Result<Application>> PreCheckAsync(ApplicationSubmitted message, CancellationToken cancellationToken) =>
        ChangeAsync(message.OwnerId, message.ApplicationId, null, async application =>
        {
            if (application.Status != ApplicationStatus.Submitted || application.CaseNumber is null)
            {
                return application;
            }
            var now = clock.GetUtcNow();
            var received = application.SubmittedAt ?? now;
            var item = await ItemAsync(application, cancellationToken);
            var index = Entry(application, OutboxKind.IndexCase, now);
            if (item is null)
            {
                var opinion = $"The service item {application.ItemCode} is no longer in force.";
                var refused = Move(application, CaseAction.PreCheckRefused) with
                {
                    ReviewReceivedAt = now,
                    Decision = null,
                    Timeline = [.. application.Timeline, Step(CaseAction.PreCheckRefused, StepAction.Return, application.DepartmentCode, SystemHandler, opinion, received, now)],
                };
                return refused with { Outbox = [.. application.Outbox, index, Event(refused, CaseEventTypes.NotAccepted, now)] };
            }

            var missing = ApplicationIntake.MissingMaterials(item, application);
            if (missing.Count > 0)
            {
                var notices = missing.Select(m => new MissingMaterialNotice(m.Code, m.Reason)).ToList();
                var incomplete = Move(application, CaseAction.PreCheckIncomplete) with
                {
                    ReviewReceivedAt = now,
                    Supplement = new SupplementRequest(notices, "Found by the automated pre-check.", now),
                    Timeline = [.. application.Timeline, Step(CaseAction.PreCheckIncomplete, StepAction.Return, application.DepartmentCode, SystemHandler, "Required materials missing.", received, now)],
                };
                return incomplete with { Outbox = [.. application.Outbox, index, Event(incomplete, CaseEventTypes.SupplementRequested, now)] };
            }

            var due = calendar.DueAfter(received, options.AcceptanceWorkingDays);
            var task = NewTask(application, TaskKind.Acceptance, application.DepartmentCode, now, due.Value);
            var passed = Move(application, CaseAction.PreCheckPassed) with
            {
                ReviewReceivedAt = now,
                Tasks = [.. application.Tasks, task],
                Timeline = [.. application.Timeline, Step(CaseAction.PreCheckPassed, StepAction.Pass, application.DepartmentCode, SystemHandler, null, received, now)],
            };
            return passed with
            {
                Outbox =
                [
                    .. application.Outbox, index, Event(passed, CaseEventTypes.Submitted, now),
                    .. TaskEntries(passed, [task], now, announce: true), .. CalendarWarning(passed, now, due),
                ],
            };
        }, cancellationToken);
}
