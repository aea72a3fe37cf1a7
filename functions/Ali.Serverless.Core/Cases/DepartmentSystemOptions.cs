namespace Ali.Serverless.Cases;

/// <summary>
/// Which departments run their own business system (configuration), and the public base URL of this
/// API that task messages link to.
/// </summary>
public sealed record DepartmentSystemOptions(IReadOnlySet<string> Departments, Uri ApiBaseUrl)
{
    public bool HasOwnSystem(string departmentCode) => Departments.Contains(departmentCode);

    public string TaskUrl(string taskId) => new Uri(ApiBaseUrl, $"/api/tasks/{Uri.EscapeDataString(taskId)}").ToString();
}
