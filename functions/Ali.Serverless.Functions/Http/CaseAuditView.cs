using Ali.Serverless.Audit;

namespace Ali.Serverless.Functions.Http;

/// <summary>A case's audit chain as supervisors read it: the records as stored, and whether they still verify.</summary>
public sealed record CaseAuditView(string CaseNumber, IReadOnlyList<AuditRecord> Records, AuditVerificationView Verification)
{
    public static CaseAuditView From(CaseAudit audit) => new(
        audit.CaseNumber,
        audit.Records,
        new AuditVerificationView(audit.Verification.Valid, audit.Verification.FirstBrokenSequence, audit.Verification.Reason));
}

/// <summary>Absent <c>firstBrokenSequence</c> and <c>reason</c> when the chain is intact.</summary>
public sealed record AuditVerificationView(bool Valid, long? FirstBrokenSequence, string? Reason);
