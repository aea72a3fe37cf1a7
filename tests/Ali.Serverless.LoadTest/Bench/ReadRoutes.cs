namespace Ali.Serverless.LoadTest.Bench;

/// <summary>
/// <c>/api/health</c> and every GET route a portal or workbench user calls in ordinary work, each with the state it
/// needs seeded once before anything is timed: one applicant's application with a verified material, submitted and
/// pre-checked (so a case, its acceptance task and its notifications exist). Staff routes run with one staff member
/// per worker, since each staff request appends to that person's audit chain (decision 11) and one person does not
/// send sixteen requests at once. The GET routes left out, and why, are listed in docs/performance.md.
/// </summary>
internal static class ReadRoutes
{
    public const string Department = BenchHttp.Department;

    public static async Task<List<Scenario>> PrepareAsync(BenchHttp api, int workers)
    {
        var applicant = await api.TokenAsync("applicant", $"bench-reader-{Guid.NewGuid():N}");
        var reviewers = await Task.WhenAll(Enumerable.Range(0, workers).Select(w => api.TokenAsync("reviewer", $"bench-reviewer-{w}", Department)));
        var supervisors = await Task.WhenAll(Enumerable.Range(0, workers).Select(w => api.TokenAsync("supervisor", $"bench-supervisor-{w}")));

        // One case, as far as the pre-check: pending acceptance, with its acceptance task in the department's worklist.
        var id = await api.OpenAsync(applicant);
        var (materialId, upload) = await api.DeclareAsync(applicant, id);
        await api.UploadAsync(upload);
        await api.CompleteAsync(applicant, id, materialId);
        var caseNumber = await api.SubmitAsync(applicant, id);
        var taskId = await AcceptanceTaskAsync(api, reviewers[0], caseNumber);
        // This month's statistics, computed once by an operator (the hourly timer would, later).
        var period = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var operatorToken = await api.TokenAsync("operator", "bench-operator");
        using (var computed = await api.SendAsync(HttpMethod.Post, "/api/statistics/recompute", operatorToken, new { period }))
        {
            if (!computed.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Could not compute the statistics of {period}: {(int)computed.StatusCode} {await computed.Content.ReadAsStringAsync()}");
            }
        }

        // The route as the report names it: the path with its ids as parameters.
        Scenario Get(string name, string path, Func<int, string?> token, string? route = null) =>
            new(name, $"GET {route ?? path}", (w, ct) => api.GetOkAsync(path, token(w), ct));
        string? Anyone(int _) => null;
        string? Applicant(int _) => applicant;
        string? Reviewer(int w) => reviewers[w % reviewers.Length];
        string? Supervisor(int w) => supervisors[w % supervisors.Length];

        return
        [
            Get("health", "/api/health", Anyone),
            Get("catalog-all", "/api/catalog/items", Anyone),
            Get("catalog-department", $"/api/catalog/items?department={Department}", Anyone),
            Get("item", "/api/catalog/items/542500-RSJ-20001?lang=bo", Anyone),
            Get("item-evaluations", $"/api/catalog/items/{BenchHttp.Item}/evaluations", Anyone),
            Get("department-evaluations", $"/api/departments/{Department}/evaluations", Anyone),
            Get("public-statistics", $"/api/statistics/public?period={period}", Anyone, "/api/statistics/public?period={month}"),
            Get("licence-keys", "/api/licences/keys", Anyone),
            Get("applications", "/api/applications", Applicant),
            Get("application", $"/api/applications/{id}", Applicant, "/api/applications/{id}"),
            Get("material", $"/api/applications/{id}/materials/{materialId}", Applicant, "/api/applications/{id}/materials/{materialId}"),
            Get("application-notices", $"/api/applications/{id}/notifications", Applicant, "/api/applications/{id}/notifications"),
            Get("my-notifications", "/api/me/notifications", Applicant),
            Get("my-preferences", "/api/me/preferences", Applicant),
            Get("my-licences", "/api/me/licences", Applicant),
            Get("worklist", "/api/worklist", Reviewer),
            Get("task", $"/api/tasks/{taskId}", Reviewer, "/api/tasks/{taskId}"),
            Get("case", $"/api/cases/{caseNumber}", Reviewer, "/api/cases/{caseNumber}"),
            Get("case-audit", $"/api/cases/{caseNumber}/audit", Supervisor, "/api/cases/{caseNumber}/audit"),
            Get("warnings", "/api/supervision/warnings", Supervisor),
            Get("statistics", $"/api/statistics?period={period}", Supervisor, "/api/statistics?period={month}"),
            Get("appeals", "/api/supervision/appeals", Supervisor),
        ];
    }

    /// <summary>The acceptance task of the case, once the pre-check made it (the local queue runner polls; at most 60 s).</summary>
    private static async Task<string> AcceptanceTaskAsync(BenchHttp api, string reviewer, string caseNumber)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var page = await api.GetJsonAsync("/api/worklist?kind=acceptance&pageSize=100", reviewer);
            foreach (var task in page.GetProperty("items").EnumerateArray())
            {
                if (task.GetProperty("caseNumber").GetString() == caseNumber)
                {
                    return task.GetProperty("id").GetString()!;
                }
            }
            await Task.Delay(250);
        }
        throw new InvalidOperationException($"Case {caseNumber} got no acceptance task within 60 s: is the local host's queue runner working?");
    }
}
