using Microsoft.Extensions.Logging;

namespace Ali.Serverless.Functions.Logging;

/// <summary>
/// Log messages about an applicant. Source-generated, so each parameter that can name a person carries
/// its classification and the pipeline redacts it (decision 12); case numbers and statuses pass.
/// </summary>
public static partial class ApplicantLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Pre-checked case {CaseNumber} of applicant {OwnerId}: {Status}")]
    public static partial void PreChecked(ILogger logger, string caseNumber, [SubjectId] string ownerId, string status);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Case {CaseNumber} event {EventType} for applicant {OwnerId}: {Count} new notifications")]
    public static partial void CaseEventNotified(ILogger logger, string caseNumber, string eventType, [SubjectId] string ownerId, int count);
}
