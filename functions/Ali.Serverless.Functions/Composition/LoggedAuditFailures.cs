using Ali.Serverless.Audit;
using Microsoft.Extensions.Logging;

namespace Ali.Serverless.Functions.Composition;

/// <summary>
/// A read or refusal that could not be audited is logged as an error (operators alert on it); the
/// request still answers (decision 11). The entry holds subject ids and codes only, no personal data.
/// </summary>
public sealed class LoggedAuditFailures(ILogger<LoggedAuditFailures> logger) : IAuditFailureLog
{
    public void NotAudited(AuditEntry entry, Exception exception) =>
        logger.LogError(exception, "Audit record not written: {Action} by {Actor} ({Role}) on {Object}, chain {Chain}",
            entry.Action, entry.Actor, entry.Role, entry.Object, entry.Chain);
}
