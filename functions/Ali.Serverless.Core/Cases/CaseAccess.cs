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
}
