using Ali.Serverless.Applications;
using Ali.Serverless.Identity;

namespace Ali.Serverless.Cases;

/// <summary>Object-level rules on cases that more than one read shares (a case, its materials).</summary>
public static class CaseAccess
{
    /// <summary>Department staff whose department has (or had) a task on the case: they work it, so they may read it.</summary>
    public static bool DepartmentHasTask(Caller caller, Application application) =>
        caller.IsDepartmentStaff && caller.Department is not null && application.Tasks.Any(t => t.DepartmentCode == caller.Department);

    /// <summary>Whether a typed case number could be one we issue; anything else is never looked up.</summary>
    public static bool IsCaseNumberShape(string caseNumber) =>
        caseNumber.Length is > 0 and <= 64 && caseNumber.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>The index entry of a typed case number: null when it is not one (a number of another shape is never looked up).</summary>
    public static async Task<CaseIndexEntry?> FindEntryAsync(ICaseIndex index, string caseNumber, CancellationToken cancellationToken) =>
        IsCaseNumberShape(caseNumber) ? await index.GetAsync(caseNumber, cancellationToken) : null;

    /// <summary>The case document of a typed case number, found through the index.</summary>
    public static async Task<Stored<Application>?> FindCaseAsync(ICaseIndex index, IApplicationStore applications, string caseNumber, CancellationToken cancellationToken) =>
        await FindEntryAsync(index, caseNumber, cancellationToken) is { } entry
            ? await applications.GetAsync(entry.OwnerId, entry.ApplicationId, cancellationToken)
            : null;
}
