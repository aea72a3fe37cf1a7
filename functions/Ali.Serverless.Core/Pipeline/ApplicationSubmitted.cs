namespace Ali.Serverless.Pipeline;

/// <summary>
/// The message put on the review queue when an application is submitted. It carries the owner
/// partition so that every consumer can read the application with a point read.
/// </summary>
public sealed record ApplicationSubmitted(
    string ApplicationId,
    string OwnerId,
    string CaseNumber,
    string ItemCode,
    string DepartmentCode,
    DateTimeOffset SubmittedAt);

/// <summary>The queue that carries submitted applications to the review pipeline.</summary>
public interface ISubmissionQueue
{
    Task EnqueueAsync(ApplicationSubmitted message, CancellationToken cancellationToken);
}
