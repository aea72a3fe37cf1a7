using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Azure.Storage.Queues;

/// <summary>
/// Issue 11 item 3, second half: cases through the whole lifecycle at a fixed concurrency, with the
/// departments scripted (<see cref="ScriptedDepartments"/>), until every case is in a final state or the
/// deadline passes. Prints and appends the counts per final state, the lost and the stuck, the 5xx (must be
/// 0) and other errors, the elapsed time and cases per minute; exits non-zero if anything was lost, stuck,
/// not started or answered 5xx.
/// </summary>
internal static class Soak
{
    /// <summary>企业投资项目核准: 发改委 leads (a reviewer over HTTP), 自然资源局 co-implements with its own system; two materials.</summary>
    private const string ProjectItem = "542500-FGW-01001";

    /// <summary>就业创业证申领: 人社局 alone (a reviewer over HTTP), one material; completing it issues a licence.</summary>
    private const string CardItem = "542500-RSJ-20002";

    private const string SystemDepartment = "542500-ZRZYJ";

    private static readonly string[] FinalStates = ["completed", "not-accepted", "withdrawn"];

    /// <summary>One case in twenty is withdrawn by its applicant right after submitting, one in twenty is not accepted.</summary>
    private static CasePlan PlanOf(int index) => (index % 20) switch
    {
        7 => CasePlan.Withdraw,
        13 => CasePlan.NotAccept,
        _ => CasePlan.Approve,
    };

    public static async Task<int> RunAsync(ScenarioOptions options)
    {
        using var http = options.Client();
        var api = new LifecycleApi(http);
        var run = Guid.NewGuid().ToString("N")[..8];
        var loadAtStart = ScenarioOptions.LoadAverage();
        var fgw = await LifecycleApi.TokenAsync(http, "reviewer", $"soak-fgw-{run}", "542500-FGW");
        var rsj = await LifecycleApi.TokenAsync(http, "reviewer", $"soak-rsj-{run}", "542500-RSJ");
        var zrzyj = await LifecycleApi.TokenAsync(http, "department-system", $"soak-zrzyj-system-{run}", SystemDepartment);
        var systemQueue = new QueueClient(options.Storage, $"department-tasks-{SystemDepartment.ToLowerInvariant()}",
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        Console.WriteLine($"soak: {options.Cases} cases, {options.Concurrency} applicants at a time, deadline {options.Deadline.TotalSeconds:F0} s");

        var cases = new SoakCases();
        using var stopDepartments = new CancellationTokenSource();
        var departments = Task.WhenAll(
            Quietly(ScriptedDepartments.ReviewerAsync(api, fgw, cases, stopDepartments.Token)),
            Quietly(ScriptedDepartments.ReviewerAsync(api, rsj, cases, stopDepartments.Token)),
            Quietly(ScriptedDepartments.SystemAsync(api, zrzyj, systemQueue, cases, stopDepartments.Token)));

        var clock = Stopwatch.StartNew();
        var notStarted = 0;
        var next = -1;
        var applicants = Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async worker =>
        {
            var token = await LifecycleApi.TokenAsync(http, "applicant", $"soak-{run}-{worker}");
            int index;
            while ((index = Interlocked.Increment(ref next)) < options.Cases && clock.Elapsed < options.Deadline)
            {
                if (!await StartAsync(api, token, index, cases))
                {
                    Interlocked.Increment(ref notStarted);
                }
            }
        }));

        // Until every started case is final by the answers the departments and applicants got, or the deadline.
        var lastProgress = clock.Elapsed;
        var lastFinal = -1;
        var lastRefresh = clock.Elapsed;
        var ended = clock.Elapsed;
        while (clock.Elapsed < options.Deadline)
        {
            var final = cases.All.Count(c => c.FinalState is not null);
            if (applicants.IsCompleted && final == cases.All.Count)
            {
                break;
            }
            if (final != lastFinal)
            {
                lastFinal = final;
                ended = clock.Elapsed;
            }
            if (clock.Elapsed - lastProgress >= TimeSpan.FromSeconds(10))
            {
                lastProgress = clock.Elapsed;
                Console.WriteLine($"soak: {clock.Elapsed.TotalSeconds,4:F0} s: {cases.All.Count} submitted, {final} ended; {api.Requests} requests, {api.ServerErrors} 5xx, {api.OtherErrors} other errors, {api.RetriedConflicts} answers retried");
            }
            // A final state no answer reported (a withdrawal that raced a step): read the cases left, now and then.
            if (applicants.IsCompleted && clock.Elapsed - lastRefresh >= TimeSpan.FromSeconds(15))
            {
                lastRefresh = clock.Elapsed;
                await ReadAllAsync(api, cases.All.Where(c => c.FinalState is null).ToList());
            }
            await Task.Delay(250);
        }
        if (cases.All.All(c => c.FinalState is not null))
        {
            ended = clock.Elapsed;
        }
        await stopDepartments.CancelAsync();
        await departments;
        if (!applicants.IsCompleted)
        {
            Console.WriteLine("soak: the deadline passed while applicants were still starting cases; waiting for the ones in flight.");
        }
        await applicants;

        // The record: every case read back as its applicant sees it.
        var states = await ReadAllAsync(api, cases.All.ToList());
        var text = Report(options, loadAtStart, cases, states, notStarted, ended, api);
        Console.Write(text);
        if (options.Report is { } report)
        {
            File.AppendAllText(report, text);
            Console.WriteLine($"Appended the soak results to {report}");
        }
        var lost = states.Values.Count(s => s is "not-found" or "submitted");
        var stuck = states.Values.Count(s => !FinalStates.Contains(s) && s is not ("not-found" or "submitted"));
        return lost == 0 && stuck == 0 && notStarted == 0 && api.ServerErrors == 0 && cases.All.Count == options.Cases ? 0 : 1;
    }

    /// <summary>Opens, provides the materials, submits; withdraws it at once when that is the plan. False when any step was refused.</summary>
    private static async Task<bool> StartAsync(LifecycleApi api, string token, int index, SoakCases cases)
    {
        var plan = PlanOf(index);
        var project = index % 2 == 0;
        try
        {
            var id = await api.PrepareAsync(token, project ? LifecycleApi.LegalPerson(ProjectItem) : LifecycleApi.NaturalPerson(CardItem),
                project ? ["M01", "M02"] : ["M01"], default);
            if (id is null)
            {
                return false;
            }
            var (status, submitted) = await api.SendAsync(HttpMethod.Post, $"/api/applications/{id}/submit", token);
            if (status != HttpStatusCode.Accepted)
            {
                return false;
            }
            var soakCase = new SoakCase(id, submitted.GetProperty("caseNumber").GetString()!, token, plan);
            cases.Add(soakCase);
            if (plan == CasePlan.Withdraw)
            {
                var (withdrawn, body) = await api.SendAsync(HttpMethod.Post, $"/api/applications/{id}/withdraw", token, new { reason = "申请人主动撤回" });
                if (withdrawn == HttpStatusCode.OK)
                {
                    soakCase.Saw(body);
                }
            }
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Reads each case as its applicant, 8 at a time; records final states; returns every case's state ("not-found" when the API has none).</summary>
    private static async Task<IReadOnlyDictionary<string, string>> ReadAllAsync(LifecycleApi api, IReadOnlyList<SoakCase> toRead)
    {
        var states = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(toRead, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (soakCase, _) =>
        {
            var (status, body) = await ScriptedDepartments.SafeAsync(
                () => api.SendAsync(HttpMethod.Get, $"/api/applications/{soakCase.ApplicationId}", soakCase.ApplicantToken, null, default, HttpStatusCode.NotFound), default);
            if (status == HttpStatusCode.OK)
            {
                soakCase.Saw(body);
                states[soakCase.CaseNumber] = body.GetProperty("status").GetString()!;
            }
            else
            {
                states[soakCase.CaseNumber] = status == HttpStatusCode.NotFound ? "not-found" : "unreadable";
            }
        });
        return states;
    }

    private static string Report(ScenarioOptions options, string loadAtStart, SoakCases cases, IReadOnlyDictionary<string, string> states,
        int notStarted, TimeSpan ended, LifecycleApi api)
    {
        var byState = states.Values.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        var unplanned = cases.All.Count(c => states.TryGetValue(c.CaseNumber, out var s) && FinalStates.Contains(s) && s != Expected(c.Plan));
        var finished = FinalStates.Sum(s => byState.GetValueOrDefault(s));
        var lines = new List<string>
        {
            "",
            $"### {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, soak: {options.Cases:N0} cases through the whole lifecycle",
            "",
            $"{options.Concurrency} applicants at a time; half {ProjectItem} (发改委 reviewer over its worklist, {SystemDepartment}'s own system "
                + $"from its queue), half {CardItem} (人社局 reviewer); one in twenty withdrawn at once, one in twenty not accepted; "
                + $"deadline {options.Deadline.TotalSeconds:F0} s; load average {loadAtStart} at the start.",
            "",
            "| cases | count |",
            "| --- | ---: |",
        };
        lines.AddRange(FinalStates.Select(s => $"| final: {s} | {byState.GetValueOrDefault(s):N0} |"));
        lines.Add($"| lost (not found, or never left `submitted`) | {byState.GetValueOrDefault("not-found") + byState.GetValueOrDefault("submitted")} |");
        foreach (var (state, count) in byState.Where(s => !FinalStates.Contains(s.Key) && s.Key is not ("not-found" or "submitted")).OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            lines.Add($"| stuck in `{state}` | {count} |");
        }
        lines.Add($"| not started (a refusal while opening, uploading or submitting) | {notStarted + Math.Max(0, options.Cases - notStarted - cases.All.Count)} |");
        lines.Add("");
        lines.Add($"{finished:N0} cases ended in {ended.TotalSeconds:F0} s: {finished / Math.Max(ended.TotalMinutes, 1e-9):F0} cases per minute. "
            + $"{api.Requests:N0} requests; 5xx: {api.ServerErrors}; other errors: {api.OtherErrors}; task answers refused as a concurrent change and sent again: {api.RetriedConflicts}; ended otherwise than planned: {unplanned}"
            + (api.LastError is { } last ? $"; last error: {last}." : "."));
        return string.Join("\n", lines) + "\n";
    }

    private static string Expected(CasePlan plan) => plan switch
    {
        CasePlan.Withdraw => "withdrawn",
        CasePlan.NotAccept => "not-accepted",
        _ => "completed",
    };

    private static async Task Quietly(Task department)
    {
        try
        {
            await department;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
