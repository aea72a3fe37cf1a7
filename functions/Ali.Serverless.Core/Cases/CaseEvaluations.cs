using System.Security.Cryptography;
using System.Text;
using Ali.Serverless.Applications;
using Ali.Serverless.Audit;
using Ali.Serverless.Common;
using Ali.Serverless.Evaluations;
using Ali.Serverless.Identity;
using Ali.Serverless.WorkingDays;

namespace Ali.Serverless.Cases;

/// <summary><c>POST /applications/{id}/evaluation</c>: satisfaction 1–5 (GB/T 39046), the channel's indicators, optional text.</summary>
public sealed record EvaluateRequest(int? Satisfaction, IReadOnlyDictionary<string, int?>? Indicators, string? Text);

/// <summary><c>POST /cases/{caseNumber}/evaluation/appeal</c>: why the department holds the review mistaken or malicious.</summary>
public sealed record AppealEvaluationRequest(string? Reason);

/// <summary><c>POST /cases/{caseNumber}/evaluation/appeal/decision</c>: <c>upheld</c> (the review is voided) or <c>rejected</c> (it stands).</summary>
public sealed record DecideAppealRequest(string? Outcome, string? Opinion);

public static class EvaluationActions
{
    public const string Give = "evaluation.give";
    public const string Reply = "evaluation.reply";
    public const string Appeal = "evaluation.appeal";
    public const string Decide = "evaluation.appeal-decide";

    public const string Upheld = "upheld";
    public const string Rejected = "rejected";

    /// <summary>
    /// Which ended cases can be rated: completed (approved or rejected) and not accepted; both are a service
    /// given and answered. A withdrawn case was ended by the applicant before any answer: nothing to rate.
    /// </summary>
    public static readonly IReadOnlyList<ApplicationStatus> RatableStatuses = [ApplicationStatus.Completed, ApplicationStatus.NotAccepted];

    public static string Object(string evaluationId) => $"evaluation:{evaluationId}";
}

/// <summary>
/// Good and bad reviews (好差评, 国办发〔2019〕51号) on the case document: given once per case (一事一评), a bad
/// one opens a rectification task for the item's department, the department replies or appeals, a
/// supervisor decides the appeal. Each change is one conditional write of the case with its outbox
/// (copy of the review, task copies, events, audit records), like every other step.
/// </summary>
public sealed partial class CaseWorkflow
{
    /// <summary>
    /// The applicant rates their ended case; for a window application the hall's clerk enters what the
    /// applicant gave on the hall's rating device. A second review of the same case is 409.
    /// </summary>
    public async Task<Result<Evaluation>> EvaluateAsync(Caller caller, string applicationId, EvaluateRequest request, CancellationToken cancellationToken)
    {
        if (!IsId(applicationId))
        {
            return Result<Evaluation>.Fail(Problem.NotFound($"Application '{applicationId}'"));
        }
        var stored = await applications.GetAsync(caller.OwnerId, applicationId, cancellationToken);
        if (stored is null || stored.Value.ExpiredAt is not null)
        {
            return Result<Evaluation>.Fail(Problem.NotFound($"Application '{applicationId}'"));
        }
        // The form follows the channel the case came through, so the indicators can be checked before any write.
        var channel = EvaluationChannels.For(stored.Value.Channel);
        var errors = new FieldErrors();
        var rating = ValidateRating(errors, channel, request);
        if (errors.Any)
        {
            return Result<Evaluation>.Fail(errors.ToProblem());
        }
        var result = await ChangeAsync(caller.OwnerId, applicationId, caller, application =>
        {
            if (application.Evaluation is { } given)
            {
                return Problem.Conflict("already-evaluated", "Already evaluated.",
                    $"Case {application.CaseNumber} was rated on {given.EvaluatedAt:yyyy-MM-dd}; a case is rated once (一事一评).",
                    new Dictionary<string, object?> { ["evaluatedAt"] = given.EvaluatedAt });
            }
            if (application.CaseNumber is null || !EvaluationActions.RatableStatuses.Contains(application.Status))
            {
                return Problem.Conflict("evaluation-not-open", "Not ended yet.",
                    $"A case is rated once it has ended (completed or not accepted); this application is {application.Status.ToWire()}.",
                    new Dictionary<string, object?> { ["applicationStatus"] = application.Status.ToWire() });
            }
            var now = clock.GetUtcNow();
            var evaluation = new Evaluation
            {
                Id = Evaluation.IdFor(application.Id),
                ApplicationId = application.Id,
                OwnerId = application.OwnerId,
                CaseNumber = application.CaseNumber,
                ItemCode = application.ItemCode,
                DepartmentCode = application.DepartmentCode,
                DivisionCode = application.DivisionCode,
                Channel = channel,
                Satisfaction = rating.Satisfaction,
                Indicators = rating.Indicators,
                Text = rating.Text,
                PublicText = EvaluationText.Mask(rating.Text),
                EvaluatedAt = now,
                RecordedBy = caller.Subject,
                RecordedByRole = caller.Role,
            };
            var rated = application with { Language = caller.Language ?? application.Language };
            List<CaseTask> opened = [];
            var calendarGap = Array.Empty<OutboxEntry>();
            if (evaluation.IsBad)
            {
                var due = calendar.DueAfter(now, options.RectificationWorkingDays);
                var task = NewTask(application, TaskKind.Rectification, application.DepartmentCode, now, due.Value);
                opened.Add(task);
                evaluation = evaluation with { Rectification = new Rectification { TaskId = task.Id, State = RectificationState.Open, DueAt = due.Value } };
                rated = rated with { Tasks = [.. application.Tasks, task] };
                calendarGap = CalendarWarning(rated, now, due).ToArray();
            }
            rated = rated with { Evaluation = evaluation };
            return rated with
            {
                Outbox =
                [
                    .. application.Outbox,
                    .. EvaluationEntries(rated, caller, EvaluationActions.Give, now),
                    .. TaskEntries(rated, opened, now, announce: true),
                    .. calendarGap,
                ],
            };
        }, cancellationToken);
        return result.IsSuccess ? result.Value!.Evaluation! : Result<Evaluation>.Fail(result.Problem!);
    }

    /// <summary>
    /// The department appeals a review it holds mistaken or malicious (申诉), once, with its reason. The
    /// rectification keeps running meanwhile: an appeal is no reason to leave the applicant unanswered.
    /// </summary>
    public async Task<Result<Evaluation>> AppealEvaluationAsync(Caller caller, string caseNumber, AppealEvaluationRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var reason = TextRules.Required(errors, "reason", request.Reason, TextKind.MultiLine, options.MaxReasonLength);
        if (errors.Any)
        {
            return Result<Evaluation>.Fail(errors.ToProblem());
        }
        var found = await FindOwnCaseAsync(caller, caseNumber, cancellationToken);
        if (found?.Evaluation is null)
        {
            return Result<Evaluation>.Fail(Problem.NotFound($"Evaluation of case '{caseNumber}'"));
        }
        var result = await ChangeAsync(found.OwnerId, found.Id, caller, application =>
        {
            var evaluation = application.Evaluation!;
            if (evaluation.Appeal is { } appeal)
            {
                return Problem.Conflict("appeal-exists", "Already appealed.",
                    $"The review of case {caseNumber} was appealed on {appeal.AppealedAt:yyyy-MM-dd} and the appeal is {EvaluationView.Wire(appeal.State)}; a review is appealed once.",
                    new Dictionary<string, object?> { ["appealState"] = EvaluationView.Wire(appeal.State) });
            }
            if (!evaluation.IsBad)
            {
                return Problem.Conflict("evaluation-not-bad", "Nothing to appeal.",
                    $"Only a bad review (satisfaction 4 or 5) can be appealed; this one is {evaluation.Satisfaction}.");
            }
            var now = clock.GetUtcNow();
            var appealed = evaluation with
            {
                Appeal = new Appeal { Reason = reason!, AppealedBy = caller.Subject, AppealedAt = now, State = AppealState.Pending },
                Version = evaluation.Version + 1,
            };
            var changed = application with { Evaluation = appealed };
            return changed with
            {
                Outbox = [.. application.Outbox, .. EvaluationEntries(changed, caller, EvaluationActions.Appeal, now), Event(changed, CaseEventTypes.EvaluationAppealed, now)],
            };
        }, cancellationToken);
        return result.IsSuccess ? result.Value!.Evaluation! : Result<Evaluation>.Fail(result.Problem!);
    }

    /// <summary>
    /// A supervisor decides a pending appeal (复核): upheld voids the review (out of every figure and every
    /// public list) and cancels its open rectification; rejected leaves it standing.
    /// </summary>
    public async Task<Result<Evaluation>> DecideAppealAsync(Caller caller, string caseNumber, DecideAppealRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (errors.Require("outcome", request.Outcome) && request.Outcome is not (EvaluationActions.Upheld or EvaluationActions.Rejected))
        {
            errors.Add("outcome", "outcome is upheld (the review is voided) or rejected (it stands).");
        }
        var opinion = TextRules.Required(errors, "opinion", request.Opinion, TextKind.MultiLine, options.MaxOpinionLength);
        if (errors.Any)
        {
            return Result<Evaluation>.Fail(errors.ToProblem());
        }
        var stored = caller.IsSupervisor ? await FindCaseAsync(caseNumber, cancellationToken) : null;
        if (stored?.Value.Evaluation?.Appeal is null)
        {
            return Result<Evaluation>.Fail(Problem.NotFound($"Appeal of the evaluation of case '{caseNumber}'"));
        }
        var upheld = request.Outcome == EvaluationActions.Upheld;
        var result = await ChangeAsync(stored.Value.OwnerId, stored.Value.Id, caller, application =>
        {
            var evaluation = application.Evaluation!;
            var appeal = evaluation.Appeal!;
            if (appeal.State != AppealState.Pending)
            {
                return Problem.Conflict("appeal-decided", "Already decided.",
                    $"The appeal against the review of case {caseNumber} was {EvaluationView.Wire(appeal.State)} on {appeal.DecidedAt:yyyy-MM-dd}.",
                    new Dictionary<string, object?> { ["appealState"] = EvaluationView.Wire(appeal.State) });
            }
            var now = clock.GetUtcNow();
            var decided = evaluation with
            {
                Appeal = appeal with { State = upheld ? AppealState.Upheld : AppealState.Rejected, Opinion = opinion, DecidedBy = caller.Subject, DecidedAt = now },
                Version = evaluation.Version + 1,
            };
            List<CaseTask> cancelled = [];
            if (upheld && decided.Rectification is { State: RectificationState.Open } rectification
                && application.Tasks.FirstOrDefault(t => t.Id == rectification.TaskId) is { State: TaskState.Open } task)
            {
                cancelled.Add(task with { State = TaskState.Cancelled, Outcome = TaskOutcomes.Cancelled, Opinion = "The review was voided on appeal.", CompletedAt = now });
                decided = decided with { Rectification = rectification with { State = RectificationState.Cancelled } };
            }
            var changed = application with { Evaluation = decided, Tasks = Replace(application.Tasks, cancelled) };
            return changed with
            {
                Outbox =
                [
                    .. application.Outbox, .. EvaluationEntries(changed, caller, EvaluationActions.Decide, now),
                    Event(changed, CaseEventTypes.AppealDecided, now), .. TaskEntries(changed, cancelled, now, announce: false),
                ],
            };
        }, cancellationToken);
        return result.IsSuccess ? result.Value!.Evaluation! : Result<Evaluation>.Fail(result.Problem!);
    }

    /// <summary>The department's answer to a rectification task: the reply is stored on the review and sent to the applicant.</summary>
    private Result<Application> Rectifying(Application application, CaseTask done, DateTimeOffset now, Caller caller)
    {
        var evaluation = application.Evaluation;
        if (evaluation?.Rectification is not { State: RectificationState.Open } rectification || rectification.TaskId != done.Id)
        {
            return Problem.Conflict("task-not-open", "Task no longer open.", $"Task '{done.Id}' has no open rectification to answer.");
        }
        var replied = evaluation with
        {
            Rectification = rectification with { State = RectificationState.Replied, Reply = done.Opinion, RepliedBy = done.Handler, RepliedAt = now },
            Version = evaluation.Version + 1,
        };
        var changed = application with { Evaluation = replied, Tasks = Replace(application.Tasks, [done]) };
        return changed with
        {
            Outbox =
            [
                .. application.Outbox, .. EvaluationEntries(changed, caller, EvaluationActions.Reply, now),
                Event(changed, CaseEventTypes.RectificationReplied, now, done.Id), .. TaskEntries(changed, [done], now, announce: false),
            ],
        };
    }

    private sealed record Rating(int Satisfaction, IReadOnlyDictionary<string, int> Indicators, string? Text);

    private Rating ValidateRating(FieldErrors errors, string channel, EvaluateRequest request)
    {
        var satisfaction = request.Satisfaction;
        if (satisfaction is null)
        {
            errors.Add("satisfaction", "satisfaction is required: 1 very satisfied, 2 satisfied, 3 fair, 4 dissatisfied, 5 very dissatisfied (GB/T 39046).");
        }
        else if (satisfaction is < EvaluationChannels.VerySatisfied or > EvaluationChannels.VeryDissatisfied)
        {
            errors.Add("satisfaction", "satisfaction is a whole number from 1 (very satisfied) to 5 (very dissatisfied).");
        }
        var expected = EvaluationChannels.Indicators(channel);
        var indicators = new Dictionary<string, int>();
        if (request.Indicators is null)
        {
            errors.Add("indicators", $"indicators rates each of: {string.Join(", ", expected)} (a {channel} case), each 1 to 5.");
        }
        else
        {
            foreach (var (name, value) in request.Indicators)
            {
                var field = $"indicators.{AuditActions.Clipped(name)}";
                if (!expected.Contains(name))
                {
                    errors.Add(field, $"A {channel} case is rated on: {string.Join(", ", expected)}; '{AuditActions.Clipped(name)}' is not one of them.");
                }
                else if (value is null or < EvaluationChannels.VerySatisfied or > EvaluationChannels.VeryDissatisfied)
                {
                    errors.Add(field, "Each indicator is a whole number from 1 (very satisfied) to 5 (very dissatisfied).");
                }
                else
                {
                    indicators[name] = value.Value;
                }
            }
            foreach (var missing in expected.Where(name => !request.Indicators.ContainsKey(name)))
            {
                errors.Add($"indicators.{missing}", $"'{missing}' is missing: a {channel} case is rated on each of {string.Join(", ", expected)}.");
            }
        }
        var text = TextRules.Optional(errors, "text", request.Text, TextKind.MultiLine, options.MaxEvaluationTextLength);
        return new Rating(satisfaction ?? 0, indicators, text);
    }

    /// <summary>The copy of the review and the action's audit record, with ids fixed by the review's version (a retry makes the same).</summary>
    private static IEnumerable<OutboxEntry> EvaluationEntries(Application application, Caller caller, string action, DateTimeOffset now)
    {
        var evaluation = application.Evaluation!;
        string IdOf(string what) => Convert.ToHexStringLower(
            SHA256.HashData(Encoding.UTF8.GetBytes($"{application.Id}\nevaluation\n{what}\n{evaluation.Version}")).AsSpan(0, 16));
        yield return new OutboxEntry(IdOf("save"), OutboxKind.SaveEvaluation, now);
        var audit = IdOf($"audit:{action}");
        yield return new OutboxEntry(audit, OutboxKind.Audit, now)
        {
            Audit = AuditEntry.By(caller, application.CaseNumber, action, EvaluationActions.Object(evaluation.Id), AuditActions.Success, now) with { Id = audit },
        };
    }
}
