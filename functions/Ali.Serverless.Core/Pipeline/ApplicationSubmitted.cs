namespace Ali.Serverless.Pipeline;

/// <summary>
/// The message put on the review queue when an application is submitted. It carries the owner
/// partition so that every consumer can read the application with a point read, and the case's W3C
/// traceparent (absent in messages from before tracing, which are handled the same).
/// </summary>
public sealed record ApplicationSubmitted(
    string ApplicationId,
    string OwnerId,
    string CaseNumber,
    string ItemCode,
    string DepartmentCode,
    DateTimeOffset SubmittedAt,
    string? TraceParent = null);

/// <summary>The queue that carries submitted applications to the review pipeline.</summary>
public interface ISubmissionQueue
{
    Task EnqueueAsync(ApplicationSubmitted message, CancellationToken cancellationToken);
}
