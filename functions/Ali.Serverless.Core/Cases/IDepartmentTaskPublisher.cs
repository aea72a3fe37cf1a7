namespace Ali.Serverless.Cases;

/// <summary>
/// What a department's own business system (自有业务系统) receives for each task of its department.
/// It carries no personal data: the system reads the case through <see cref="TaskUrl"/> with its own token.
/// </summary>
public sealed record DepartmentTaskMessage(
    string TaskId,
    string Kind,
    string State,
    string CaseNumber,
    string ItemCode,
    string DepartmentCode,
    DateTimeOffset CreatedAt,
    DateTimeOffset DueAt,
    string TaskUrl)
{
    /// <summary>The case's W3C traceparent (decision 20), so the department's system can join the case's trace; absent in older messages.</summary>
    public string? TraceParent { get; init; }
}

/// <summary>Hands tasks to departments' own systems: Service Bus in Azure, a Storage queue per department locally.</summary>
public interface IDepartmentTaskPublisher
{
    /// <summary>Publishes one task. Publishing the same task id again must not make a second task on the other side.</summary>
    Task PublishAsync(DepartmentTaskMessage message, CancellationToken cancellationToken);
}
