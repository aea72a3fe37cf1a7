using Ali.Serverless.Identity;

namespace Ali.Serverless.Functions.Auth;

/// <summary>
/// Who may call which HTTP function (function level), and on which objects (object level, enforced by
/// the rules in Core through partitions and ownership). Every function is listed; <c>Api</c> consults
/// this table and nothing else decides by role. The README prints it; a test checks both against the
/// functions, and calls every route as every role.
/// </summary>
public sealed record Permission(string Function, string Method, string Route, IReadOnlyList<string> Roles, string Objects)
{
    public bool IsAnonymous => Roles.Count == 0;
}

public static class Permissions
{
    private static readonly string[] Applying = [.. Identity.Roles.ApplicantSide];
    private static readonly string[] Department = [.. Identity.Roles.DepartmentStaff];
    private static readonly string[] InboxReaders = [.. Identity.Roles.ApplicantSide, .. Identity.Roles.DepartmentStaff, Identity.Roles.Supervisor];

    private const string OwnApplication = "own application (a clerk: the hall's); others' are 404";
    private const string OwnOrLinkedApplication = "own application (a clerk: the hall's; an applicant with a verified identity number: also the window applications opened for it, read only); others' are 404";
    private const string OwnDepartmentTask = "tasks of the caller's department; others are 404";

    public static readonly IReadOnlyList<Permission> Table =
    [
        new("Health", "GET", "health", [], "anyone"),
        new("GetOpenApiDocument", "GET", "openapi.json", [], "anyone"),
        new("ListCatalogItems", "GET", "catalog/items", [], "anyone"),
        new("GetCatalogItem", "GET", "catalog/items/{itemCode}", [], "anyone"),
        new("OpenApplication", "POST", "applications", Applying, "opens in the caller's own partition (a clerk: the hall's)"),
        new("ListApplications", "GET", "applications", Applying, "own applications (a clerk: the hall's; an applicant with a verified identity number: also the window applications opened for it)"),
        new("GetApplication", "GET", "applications/{id}", Applying, OwnOrLinkedApplication),
        new("DeclareMaterial", "POST", "applications/{id}/materials", Applying, OwnApplication),
        new("GetMaterial", "GET", "applications/{id}/materials/{materialId}", Applying, OwnOrLinkedApplication),
        new("CreateMaterialReadLink", "POST", "applications/{id}/materials/{materialId}/read-link", Applying, OwnApplication + "; verified materials only (409 otherwise)"),
        new("RenewUploadTarget", "POST", "applications/{id}/materials/{materialId}/upload-target", Applying, OwnApplication),
        new("CompleteMaterial", "POST", "applications/{id}/materials/{materialId}/complete", Applying, OwnApplication),
        new("SubmitApplication", "POST", "applications/{id}/submit", Applying, OwnApplication),
        new("WithdrawApplication", "POST", "applications/{id}/withdraw", Applying, OwnApplication),
        new("ResubmitApplication", "POST", "applications/{id}/resubmit", Applying, OwnApplication),
        new("ListApplicationNotifications", "GET", "applications/{id}/notifications", Applying, OwnOrLinkedApplication),
        new("RevealApplicant", "GET", "applications/{id}/applicant", Applying, OwnOrLinkedApplication + "; every answer audited (personal-data.reveal)"),
        new("GetWorklist", "GET", "worklist", Department, "open tasks of the caller's department"),
        new("GetTask", "GET", "tasks/{taskId}", Department, OwnDepartmentTask),
        new("CompleteTask", "POST", "tasks/{taskId}/complete", Department, OwnDepartmentTask),
        new("RevealTaskApplicant", "GET", "tasks/{taskId}/applicant", Department, "tasks of the caller's department; others are 404; every answer audited (personal-data.reveal)"),
        new("GetCase", "GET", "cases/{caseNumber}", [.. Department, Identity.Roles.Supervisor], "department staff: cases with a task of their department; supervisors: any; others 404"),
        new("GetCaseAudit", "GET", "cases/{caseNumber}/audit", [Identity.Roles.Supervisor], "any case; a case that does not exist is 404"),
        new("CreateCaseMaterialReadLink", "POST", "cases/{caseNumber}/materials/{materialId}/read-link", Department, "cases with a task of the caller's department; others 404; verified materials only (409 otherwise)"),
        new("StartSpecialProcedure", "POST", "cases/{caseNumber}/special-procedures", Department, "cases of an item of the caller's department; others 404"),
        new("EndSpecialProcedure", "POST", "cases/{caseNumber}/special-procedures/{procedureId}/end", Department, "cases of an item of the caller's department; others 404"),
        new("ListSupervisionWarnings", "GET", "supervision/warnings", [Identity.Roles.Supervisor], "any"),
        new("GetQueueHealth", "GET", "ops/queues", [Identity.Roles.Operator], "any"),
        new("GetNotificationCounts", "GET", "ops/notifications", [Identity.Roles.Operator], "counts only"),
        new("ListMyNotifications", "GET", "me/notifications", InboxReaders, "the caller's inbox (own, the hall's, the department's, the supervisors')"),
        new("MarkNotificationRead", "POST", "me/notifications/{id}/read", InboxReaders, "entries of the caller's inbox; others 404"),
        new("GetMyPreferences", "GET", "me/preferences", [.. Identity.Roles.All], "the caller's own"),
        new("SetMyPreferences", "PUT", "me/preferences", [.. Identity.Roles.All], "the caller's own"),
        new("ReceiveSmsReceipts", "POST", "notifications/receipts", [], "the SMS provider, with the shared secret in ?token="),
        new("GetLicenceKeys", "GET", "licences/keys", [], "anyone: the public keys that verify licences"),
        new("VerifyLicence", "GET", "licences/verify", [], "anyone, with the licence id and digest its QR code carries; masked holder only"),
        new("ListMyLicences", "GET", "me/licences", [Identity.Roles.Applicant], "the licences issued to the caller's own account"),
        new("GetLicence", "GET", "licences/{id}", [Identity.Roles.Applicant, .. Department], "the holder's own; staff: licences their department issued; others 404"),
        new("RevokeLicence", "POST", "licences/{id}/revoke", [Identity.Roles.Reviewer], "licences the caller's department issued; others 404"),
        new("GetStatistics", "GET", "statistics", [Identity.Roles.Supervisor], "aggregates of every department and county, no personal data"),
        new("GetPublicStatistics", "GET", "statistics/public", [], "anyone: aggregates only, small cells withheld"),
        new("RecomputeStatistics", "POST", "statistics/recompute", [Identity.Roles.Operator], "any month up to the current one"),
        new("EvaluateApplication", "POST", "applications/{id}/evaluation", Applying, OwnApplication + "; once, after the case ended (409 otherwise); a clerk enters the hall rating device's result"),
        new("GetApplicationEvaluation", "GET", "applications/{id}/evaluation", Applying, OwnOrLinkedApplication),
        new("AppealEvaluation", "POST", "cases/{caseNumber}/evaluation/appeal", Department, "bad reviews of cases of an item of the caller's department; others 404"),
        new("DecideEvaluationAppeal", "POST", "cases/{caseNumber}/evaluation/appeal/decision", [Identity.Roles.Supervisor], "any appealed review; none is 404"),
        new("ListItemEvaluations", "GET", "catalog/items/{itemCode}/evaluations", [], "anyone: reviews without applicant or case number, text masked, voided ones left out"),
        new("ListDepartmentEvaluations", "GET", "departments/{departmentCode}/evaluations", [], "anyone: reviews without applicant or case number, text masked, voided ones left out"),
        new("ListEvaluationAppeals", "GET", "supervision/appeals", [Identity.Roles.Supervisor], "appealed reviews of every department waiting for a decision"),
    ];

    private static readonly Dictionary<string, Permission> ByFunction = Table.ToDictionary(p => p.Function, StringComparer.Ordinal);

    /// <summary>The table as the README prints it (one row a route), so the two cannot drift apart.</summary>
    public static string Markdown()
    {
        var lines = new List<string>
        {
            "| Route | applicant | window-clerk | reviewer | department-system | supervisor | operator | Objects |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        };
        foreach (var p in Table)
        {
            var cells = Identity.Roles.All.Select(role => p.IsAnonymous ? "anyone" : p.Roles.Contains(role) ? "yes" : "—");
            lines.Add($"| `{p.Method} /api/{p.Route}` | {string.Join(" | ", cells)} | {p.Objects} |");
        }
        return string.Join("\n", lines);
    }

    /// <summary>The rule of a function; an unlisted function is a programming error, refused loudly.</summary>
    public static Permission For(string function) =>
        ByFunction.TryGetValue(function, out var permission)
            ? permission
            : throw new InvalidOperationException($"The function '{function}' is not in the permission table.");
}
