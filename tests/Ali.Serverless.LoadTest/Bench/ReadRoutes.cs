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

        // The applicant's own application, with a verified material, submitted and pre-checked.
        var (id, materialId, _) = await SubmittedCaseAsync(api, applicant);
        // A case per worker for the task and case reads, and another per worker for the audit read: each staff read
        // appends to the case's audit chain, so sixteen staff reading one case at once would queue on one chain and
        // grow it by thousands of records, which no case sees in ordinary work.
        var others = await api.TokenAsync("applicant", $"bench-cases-{Guid.NewGuid():N}");
        var cases = new (string Id, string MaterialId, string CaseNumber)[2 * workers];
        await BenchHttp.PrepareAsync(cases.Length, workers, async i => cases[i] = await SubmittedCaseAsync(api, others));
        var taskIds = await AcceptanceTasksAsync(api, reviewers[0], cases.Select(c => c.CaseNumber).ToList());
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
            new("task", "GET /api/tasks/{taskId}", (w, ct) => api.GetOkAsync($"/api/tasks/{taskIds[w % workers]}", Reviewer(w), ct)),
            new("case", "GET /api/cases/{caseNumber}", (w, ct) => api.GetOkAsync($"/api/cases/{cases[w % workers].CaseNumber}", Reviewer(w), ct)),
            // A plain GET: the trail's first page at the default size (decision 27), what a supervisor opening a trail reads.
            new("case-audit", "GET /api/cases/{caseNumber}/audit", (w, ct) => api.GetOkAsync($"/api/cases/{cases[workers + w % workers].CaseNumber}/audit", Supervisor(w), ct)),
            Get("warnings", "/api/supervision/warnings", Supervisor),
            Get("statistics", $"/api/statistics?period={period}", Supervisor, "/api/statistics?period={month}"),
            Get("appeals", "/api/supervision/appeals", Supervisor),
        ];
    }

    /// <summary>Opens, provides M01 and submits: the application id, its material id and the case number.</summary>
    private static async Task<(string Id, string MaterialId, string CaseNumber)> SubmittedCaseAsync(BenchHttp api, string token)
    {
        var id = await api.OpenAsync(token);
        var (materialId, upload) = await api.DeclareAsync(token, id);
        await api.UploadAsync(upload);
        await api.CompleteAsync(token, id, materialId);
        return (id, materialId, await api.SubmitAsync(token, id));
    }

    /// <summary>The acceptance tasks of the cases, in their order, once the pre-check made them (the local queue runner polls; at most 90 s).</summary>
    private static async Task<string[]> AcceptanceTasksAsync(BenchHttp api, string reviewer, IReadOnlyList<string> caseNumbers)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var found = new Dictionary<string, string>();
        while (DateTime.UtcNow < deadline)
        {
            string? token = null;
            do
            {
                var page = await api.GetJsonAsync($"/api/worklist?kind=acceptance&pageSize=100{(token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}")}", reviewer);
                foreach (var task in page.GetProperty("items").EnumerateArray())
                {
                    found[task.GetProperty("caseNumber").GetString()!] = task.GetProperty("id").GetString()!;
                }
                token = page.TryGetProperty("continuationToken", out var next) && next.ValueKind == System.Text.Json.JsonValueKind.String ? next.GetString() : null;
            }
            while (token is not null);
            if (caseNumbers.All(found.ContainsKey))
            {
                return caseNumbers.Select(c => found[c]).ToArray();
            }
            await Task.Delay(250);
        }
        throw new InvalidOperationException($"{caseNumbers.Count(c => !found.ContainsKey(c))} of {caseNumbers.Count} cases got no acceptance task within 90 s: is the local host's queue runner working?");
    }
}
