using Ali.Serverless.Audit;

namespace Ali.Serverless.Functions.Http;

/// <summary>
/// A page of a case's audit chain as supervisors read it: the records as stored, oldest first, whether they still
/// verify, and the token of the next page (absent on the last page).
/// </summary>
public sealed record CaseAuditView(string CaseNumber, IReadOnlyList<AuditRecord> Records, AuditVerificationView Verification, string? ContinuationToken)
{
    public static CaseAuditView From(CaseAudit audit) => new(
        audit.CaseNumber,
        audit.Records,
        new AuditVerificationView(audit.Verification.Valid, audit.Verification.FirstBrokenSequence, audit.Verification.Reason, audit.FromSequence, audit.ToSequence),
        audit.ContinuationToken);
}

/// <summary>
/// Absent <c>firstBrokenSequence</c> and <c>reason</c> when the page is intact; <c>fromSequence</c> to <c>toSequence</c>
/// is what was checked (with the link to the record before <c>fromSequence</c>); no <c>toSequence</c> on an empty page.
/// </summary>
public sealed record AuditVerificationView(bool Valid, long? FirstBrokenSequence, string? Reason, long FromSequence, long? ToSequence);
