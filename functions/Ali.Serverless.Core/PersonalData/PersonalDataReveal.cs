using Ali.Serverless.Applications;
using Ali.Serverless.Audit;
using Ali.Serverless.Cases;
using Ali.Serverless.Common;
using Ali.Serverless.Identity;

namespace Ali.Serverless.PersonalData;

/// <summary>An applicant's identity in full: what only an explicit, audited request returns.</summary>
public sealed record RevealedApplicant(string ApplicationId, string? CaseNumber, string Kind, string DocumentNumber, string Name, string? Phone)
{
    public static RevealedApplicant From(Application a) => new(
        a.Id,
        a.CaseNumber,
        a.Applicant.Kind == ApplicantKind.NaturalPerson ? ApplicantKinds.NaturalPerson : ApplicantKinds.LegalPerson,
        a.Applicant.DocumentNumber,
        a.Applicant.Name,
        a.Applicant.Phone);
}

/// <summary>
/// The full identity number and phone, on an explicit request of someone who needs them: the applicant
/// (their own, or a window application linked to their verified number), the hall's clerks for the hall's
/// applications, and the staff of a department with a task on the case (through that task). Every answer
/// first writes a <c>personal-data.reveal</c> audit record and is refused (503) if it cannot: a full read
/// nobody can trace is worse than a delayed one. Refusals are recorded too, on the caller's day chain.
/// </summary>
public sealed class PersonalDataReveal(LinkedApplications linked, IApplicationStore applications, ITaskStore tasks, IAuditLog audit, TimeProvider clock)
{
    public const string Action = "personal-data.reveal";

    public async Task<Result<RevealedApplicant>> ForApplicationAsync(Caller caller, string applicationId, CancellationToken cancellationToken)
    {
        var stored = await linked.FindReadableAsync(caller, applicationId, cancellationToken);
        var target = $"application:{AuditActions.Clipped(applicationId)}";
        if (stored is null)
        {
            await RefusedAsync(caller, target, cancellationToken);
            return Problem.NotFound($"Application '{applicationId}'");
        }
        return await RevealAsync(caller, stored.Value, target, cancellationToken);
    }

    public async Task<Result<RevealedApplicant>> ForTaskAsync(Caller caller, string taskId, CancellationToken cancellationToken)
    {
        var target = $"task:{AuditActions.Clipped(taskId)}";
        var copy = caller.IsDepartmentStaff && caller.Department is not null && Ids.IsIssued(taskId)
            ? await tasks.GetAsync(caller.Department, taskId, cancellationToken)
            : null;
        var stored = copy is null ? null : await applications.GetAsync(copy.OwnerId, copy.ApplicationId, cancellationToken);
        if (stored is null || !stored.Value.Tasks.Any(t => t.Id == taskId && t.DepartmentCode == caller.Department))
        {
            await RefusedAsync(caller, target, cancellationToken);
            return Problem.NotFound($"Task '{taskId}'");
        }
        return await RevealAsync(caller, stored.Value, target, cancellationToken);
    }

    private async Task<Result<RevealedApplicant>> RevealAsync(Caller caller, Application application, string target, CancellationToken cancellationToken)
    {
        try
        {
            await audit.AppendAsync(Entry(caller, application.CaseNumber, target, AuditActions.Success), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new Problem(ProblemKind.Unavailable, "audit-unavailable", "Cannot record this read.",
                "The full identity is only shown once the read is recorded in the audit trail, which is not reachable now. Retry later.");
        }
        return RevealedApplicant.From(application);
    }

    private Task RefusedAsync(Caller caller, string target, CancellationToken cancellationToken) =>
        // The caller's day chain: a case chain would confirm to a prober that the case exists.
        audit.TryAppendAsync(Entry(caller, null, target, AuditActions.Refused), cancellationToken);

    private AuditEntry Entry(Caller caller, string? caseNumber, string target, string outcome) =>
        AuditEntry.By(caller, caseNumber, Action, target, outcome, clock.GetUtcNow());
}
