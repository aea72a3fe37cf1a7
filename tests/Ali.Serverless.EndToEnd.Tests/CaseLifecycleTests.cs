using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>
/// One case from submission to decision over HTTP against the local host and its queues: pre-check,
/// a supplement request, resubmission, acceptance, parallel review (one department answering through
/// its own system after reading its queue), decision.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class CaseLifecycleTests(LocalHostProcess host)
{
    /// <summary>发改委 item with 自然资源局 as co-implementing department; legal 20, promised 15 working days; legal persons.</summary>
    public const string ProjectItem = "542500-FGW-01001";
    public const string LeadDepartment = "542500-FGW";

    /// <summary>Has its own business system in the local settings: its tasks go to a queue on Azurite.</summary>
    public const string SystemDepartment = "542500-ZRZYJ";

    public const string CreditCode = "91350100M000100Y43";

    private static object Enterprise() => new
    {
        itemCode = ProjectItem,
        channel = "web",
        applicant = new { kind = "legal-person", documentNumber = CreditCode, name = "阿里高原能源有限公司", phone = "13900000000" },
    };

    [Fact]
    public async Task SubmitSupplementResubmitAcceptReviewDecide_CompletesTheCase()
    {
        var company = await host.ClientAsAsync("applicant", $"company-{Guid.NewGuid():N}");
        var lead = await host.ClientAsAsync("reviewer", "fgw-reviewer", LeadDepartment);
        var system = await host.ClientAsAsync("department-system", "zrzyj-system", SystemDepartment);
        var stranger = await host.ClientAsAsync("reviewer", "jyj-reviewer", "542500-JYJ");

        var (id, caseNumber) = await SubmitAsync(company);
        var pending = await IntakeFlowTests.WaitForAsync(company, id, a => a.GetProperty("status").GetString() == "pending-acceptance");
        Assert.Equal("1", pending.GetProperty("timeline")[0].GetProperty("stepType").GetString());

        // Acceptance: ask for M02 again, with the reason (一次性告知).
        var acceptance = await TaskOfCaseAsync(lead, caseNumber, "acceptance");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/tasks/{acceptance}")).StatusCode);
        var supplement = await lead.PostAsJsonAsync($"/api/tasks/{acceptance}/complete",
            new { outcome = "supplement", opinion = "请补正", missingMaterials = new[] { new { code = "M02", reason = "营业执照复印件不清晰" } } });
        Assert.Equal(HttpStatusCode.OK, supplement.StatusCode);
        var requested = await (await company.GetAsync($"/api/applications/{id}")).JsonAsync();
        Assert.Equal("supplement-requested", requested.GetProperty("status").GetString());
        Assert.Equal("M02", requested.GetProperty("supplement").GetProperty("materials")[0].GetProperty("code").GetString());

        // Resubmitting before re-uploading names what is still missing; after it, a new acceptance task.
        var early = await company.PostAsync($"/api/applications/{id}/resubmit", null);
        Assert.Equal((HttpStatusCode)422, early.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await company.ProvideAsync(id, "M02", Api.Pdf())).StatusCode);
        var resubmit = await company.PostAsync($"/api/applications/{id}/resubmit", null);
        Assert.Equal(HttpStatusCode.Accepted, resubmit.StatusCode);
        Assert.Equal("pending-acceptance", (await resubmit.JsonAsync()).GetProperty("status").GetString());

        var secondAcceptance = await TaskOfCaseAsync(lead, caseNumber, "acceptance");
        Assert.NotEqual(acceptance, secondAcceptance);
        Assert.Equal(HttpStatusCode.OK, (await lead.PostAsJsonAsync($"/api/tasks/{secondAcceptance}/complete", new { outcome = "accept" })).StatusCode);
        var accepted = await (await company.GetAsync($"/api/applications/{id}")).JsonAsync();
        Assert.Equal("under-review", accepted.GetProperty("status").GetString());
        var acceptedAt = accepted.GetProperty("acceptedAt").GetDateTimeOffset();
        var promised = accepted.GetProperty("promisedDueAt").GetDateTimeOffset();
        var legal = accepted.GetProperty("legalDueAt").GetDateTimeOffset();
        Assert.True(acceptedAt < promised && promised < legal, accepted.ToString());
        // Limits end at 24:00 China Standard Time.
        Assert.Equal(TimeSpan.FromHours(8), legal.Offset);
        Assert.Equal(TimeSpan.Zero, legal.TimeOfDay);

        // Parallel review: the co-implementing department's system reads its task from its own queue.
        var message = await DepartmentQueueMessageAsync(SystemDepartment, caseNumber, "review");
        Assert.False(message.TryGetProperty("applicant", out _));
        var taskUrl = new Uri(message.GetProperty("taskUrl").GetString()!);
        var read = await system.GetAsync(taskUrl.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var task = await read.JsonAsync();
        Assert.Equal(caseNumber, task.GetProperty("case").GetProperty("caseNumber").GetString());
        Assert.Equal("9135**********0Y43", task.GetProperty("case").GetProperty("applicant").GetProperty("documentNumber").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"{taskUrl.AbsolutePath}/complete", new { outcome = "approve" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await system.PostAsJsonAsync($"{taskUrl.AbsolutePath}/complete", new { outcome = "approve", opinion = "用地符合规划" })).StatusCode);
        var replay = await system.PostAsJsonAsync($"{taskUrl.AbsolutePath}/complete", new { outcome = "approve", opinion = "用地符合规划" });
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        Assert.Equal("urn:ali-serverless:problem:task-not-open", (await replay.JsonAsync()).GetProperty("type").GetString());

        var leadReview = await TaskOfCaseAsync(lead, caseNumber, "review");
        Assert.Equal(HttpStatusCode.OK, (await lead.PostAsJsonAsync($"/api/tasks/{leadReview}/complete", new { outcome = "approve" })).StatusCode);

        // Decision by the lead department ends the case.
        var decision = await TaskOfCaseAsync(lead, caseNumber, "decision");
        var decided = await lead.PostAsJsonAsync($"/api/tasks/{decision}/complete", new { outcome = "approve", opinion = "准予备案" });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);

        var completed = await (await company.GetAsync($"/api/applications/{id}")).JsonAsync();
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal("approve", completed.GetProperty("decision").GetProperty("outcome").GetString());
        Assert.Equal(["1", "11", "1", "2", "3", "3", "4"], completed.GetProperty("timeline").EnumerateArray().Select(s => s.GetProperty("stepType").GetString()));
        Assert.DoesNotContain(completed.GetProperty("timeline").EnumerateArray(), s => s.GetProperty("handler").GetString()!.Contains(CreditCode));

        // The case as the co-implementing department and a supervisor see it; a department without a task sees nothing.
        var supervisor = await host.ClientAsAsync("supervisor", "supervisor-1");
        Assert.Equal(HttpStatusCode.OK, (await system.GetAsync($"/api/cases/{caseNumber}")).StatusCode);
        var asSupervisor = await (await supervisor.GetAsync($"/api/cases/{caseNumber}")).JsonAsync();
        Assert.Equal(5, asSupervisor.GetProperty("tasks").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/cases/{caseNumber}")).StatusCode);

        // The audit trail (the whole of it in one page): every step in order, by whom, the staff reads, and a chain that verifies. Supervisors only.
        // The reads' records are written behind their answers (decision 29): the trail shows them within moments.
        var trail = await AuditTrails.EventuallyAsync(supervisor, caseNumber, records =>
            records.Any(r => r.GetProperty("action").GetString() == "task.read" && r.GetProperty("actor").GetString() == "zrzyj-system")
            && records.Any(r => r.GetProperty("action").GetString() == "case.read" && r.GetProperty("actor").GetString() == "supervisor-1"),
            "the department system's task read and the supervisor's case read");
        Assert.True(trail.GetProperty("verification").GetProperty("valid").GetBoolean(), trail.GetProperty("verification").ToString());
        Assert.False(trail.GetProperty("verification").TryGetProperty("firstBrokenSequence", out _));
        var records = trail.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, records.Count).Select(i => (long)i), records.Select(r => r.GetProperty("sequence").GetInt64()));
        var steps = records.Where(r => r.GetProperty("action").GetString() is { } action && action.StartsWith("case.") && action != "case.read").ToList();
        Assert.Equal(["case.pre-check", "case.acceptance", "case.resubmission", "case.acceptance", "case.review", "case.review", "case.decision"],
            steps.Select(r => r.GetProperty("action").GetString()));
        Assert.Equal(["system", "fgw-reviewer", "applicant", "fgw-reviewer"], steps.Take(4).Select(r => r.GetProperty("role").GetString() == "applicant" ? "applicant" : r.GetProperty("actor").GetString()));
        Assert.Contains(records, r => r.GetProperty("action").GetString() == "task.read" && r.GetProperty("actor").GetString() == "zrzyj-system");
        Assert.Contains(records, r => r.GetProperty("action").GetString() == "case.read" && r.GetProperty("actor").GetString() == "supervisor-1");
        Assert.DoesNotContain(CreditCode, trail.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await lead.GetAsync($"/api/cases/{caseNumber}/audit")).StatusCode);
    }

    [Fact]
    public async Task Withdraw_WithOpenTasks_CancelsThem_AndAnotherWithdrawIsHarmless()
    {
        var company = await host.ClientAsAsync("applicant", $"company-{Guid.NewGuid():N}");
        var lead = await host.ClientAsAsync("reviewer", "fgw-reviewer", LeadDepartment);
        var (id, caseNumber) = await SubmitAsync(company);
        await IntakeFlowTests.WaitForAsync(company, id, a => a.GetProperty("status").GetString() == "pending-acceptance");
        var acceptance = await TaskOfCaseAsync(lead, caseNumber, "acceptance");

        var withdrawn = await company.PostAsJsonAsync($"/api/applications/{id}/withdraw", new { reason = "项目取消" });
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal("withdrawn", (await withdrawn.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await company.PostAsync($"/api/applications/{id}/withdraw", null)).StatusCode);

        var task = await (await lead.GetAsync($"/api/tasks/{acceptance}")).JsonAsync();
        Assert.Equal("cancelled", task.GetProperty("task").GetProperty("state").GetString());
        var late = await lead.PostAsJsonAsync($"/api/tasks/{acceptance}/complete", new { outcome = "accept" });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Fact]
    public async Task SameSubmissionMessageTwice_MakesOneAcceptanceTask()
    {
        var company = await host.ClientAsAsync("applicant", $"company-{Guid.NewGuid():N}");
        var lead = await host.ClientAsAsync("reviewer", "fgw-reviewer", LeadDepartment);
        var (id, caseNumber) = await SubmitAsync(company);
        var pending = await IntakeFlowTests.WaitForAsync(company, id, a => a.GetProperty("status").GetString() == "pending-acceptance");
        var owner = $"applicant:{ownerSubject(company)}";

        // Deliver the same message again, as an at-least-once queue may.
        var queue = Queue("application-submitted");
        await queue.SendMessageAsync(JsonSerializer.Serialize(new
        {
            applicationId = id, ownerId = owner, caseNumber, itemCode = ProjectItem, departmentCode = LeadDepartment,
            submittedAt = pending.GetProperty("submittedAt").GetDateTimeOffset(),
        }));
        await Task.Delay(TimeSpan.FromSeconds(3));

        var after = await (await company.GetAsync($"/api/applications/{id}")).JsonAsync();
        Assert.Equal(pending.GetProperty("updatedAt").GetString(), after.GetProperty("updatedAt").GetString());
        Assert.Single(await OpenTasksOfCaseAsync(lead, caseNumber, "acceptance"));
    }

    [Fact]
    public async Task MalformedQueueMessage_IsMovedAside_AndCountedForOperators()
    {
        var operatorClient = await host.ClientAsAsync("operator", "ops-1");
        var before = await PoisonDepthAsync(operatorClient, "application-submitted");

        await Queue("application-submitted").SendMessageAsync("{\"applicationId\": 42");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await PoisonDepthAsync(operatorClient, "application-submitted") <= before)
        {
            Assert.True(DateTime.UtcNow < deadline, "The malformed message did not reach the poison queue.");
            await Task.Delay(300);
        }
        var health = await (await operatorClient.GetAsync("/api/ops/queues")).JsonAsync();
        Assert.Contains(health.GetProperty("queues").EnumerateArray(), q => q.GetProperty("queue").GetString() == $"department-tasks-{SystemDepartment.ToLowerInvariant()}");
        Assert.Equal(HttpStatusCode.Forbidden, (await (await host.ClientAsAsync("supervisor", "s-1")).GetAsync("/api/ops/queues")).StatusCode);
    }

    [Fact]
    public async Task TenParallelSubmits_GiveOne202_AndTenParallelCompletions_OneSuccess_NeverA5xx()
    {
        var company = await host.ClientAsAsync("applicant", $"company-{Guid.NewGuid():N}");
        var lead = await host.ClientAsAsync("reviewer", "fgw-reviewer", LeadDepartment);
        var opened = await company.OpenAsync(Enterprise());
        var id = opened.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await company.ProvideAsync(id, "M01", Api.Pdf())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await company.ProvideAsync(id, "M02", Api.Pdf())).StatusCode);

        var submits = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => company.PostAsync($"/api/applications/{id}/submit", null)));

        Assert.Single(submits, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.All(submits.Where(r => r.StatusCode != HttpStatusCode.Accepted), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        await IntakeFlowTests.WaitForAsync(company, id, a => a.GetProperty("status").GetString() == "pending-acceptance");
        var caseNumber = (await (await company.GetAsync($"/api/applications/{id}")).JsonAsync()).GetProperty("caseNumber").GetString()!;
        var acceptance = await TaskOfCaseAsync(lead, caseNumber, "acceptance");

        var completions = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => lead.PostAsJsonAsync($"/api/tasks/{acceptance}/complete", new { outcome = "accept" })));

        Assert.Single(completions, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(completions.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var application = await (await company.GetAsync($"/api/applications/{id}")).JsonAsync();
        Assert.Single(application.GetProperty("timeline").EnumerateArray(), s => s.GetProperty("step").GetString() == "acceptance");
    }

    [Fact]
    public async Task StaffTokenWithoutMultiFactorSignIn_IsRefused()
    {
        var response = await host.Http.PostAsJsonAsync("/api/dev/token", new { role = "reviewer", subject = "r-1", department = LeadDepartment, mfa = false });
        var token = (await response.JsonAsync()).GetProperty("accessToken").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/worklist");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        var refused = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.EndsWith("mfa-required", (await refused.JsonAsync()).GetProperty("type").GetString());
    }

    private static string ownerSubject(HttpClient client)
    {
        var token = client.DefaultRequestHeaders.Authorization!.Parameter!;
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Convert.FromBase64String(payload)).RootElement.GetProperty("sub").GetString()!;
    }

    private static async Task<long> PoisonDepthAsync(HttpClient operatorClient, string queue)
    {
        var health = await (await operatorClient.GetAsync("/api/ops/queues")).JsonAsync();
        return health.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("queue").GetString() == queue).GetProperty("poisonDepth").GetInt64();
    }

    internal static async Task<(string Id, string CaseNumber)> SubmitAsync(HttpClient company)
    {
        var opened = await company.OpenAsync(Enterprise());
        var id = opened.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await company.ProvideAsync(id, "M01", Api.Pdf())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await company.ProvideAsync(id, "M02", Api.Pdf())).StatusCode);
        var submit = await company.PostAsync($"/api/applications/{id}/submit", null);
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        return (id, (await submit.JsonAsync()).GetProperty("caseNumber").GetString()!);
    }

    private static async Task<List<JsonElement>> OpenTasksOfCaseAsync(HttpClient staff, string caseNumber, string kind)
    {
        var page = await (await staff.GetAsync($"/api/worklist?kind={kind}&pageSize=100")).JsonAsync();
        return page.GetProperty("items").EnumerateArray().Where(t => t.GetProperty("caseNumber").GetString() == caseNumber).ToList();
    }

    /// <summary>The open task of that kind on the case in the caller's worklist; waits for the outbox to deliver it.</summary>
    internal static async Task<string> TaskOfCaseAsync(HttpClient staff, string caseNumber, string kind)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var tasks = await OpenTasksOfCaseAsync(staff, caseNumber, kind);
            if (tasks.Count == 1)
            {
                return tasks[0].GetProperty("id").GetString()!;
            }
            Assert.True(DateTime.UtcNow < deadline, $"No single open {kind} task for case {caseNumber} in the worklist.");
            await Task.Delay(200);
        }
    }

    private static QueueClient Queue(string name) =>
        new(Environment.GetEnvironmentVariable("ALI_TEST_STORAGE") ?? "UseDevelopmentStorage=true", name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    /// <summary>Peeks the department's queue, as its system would receive, for this case's task of that kind.</summary>
    private static async Task<JsonElement> DepartmentQueueMessageAsync(string department, string caseNumber, string kind)
    {
        var queue = Queue($"department-tasks-{department.ToLowerInvariant()}");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await queue.ExistsAsync())
            {
                foreach (var message in (await queue.PeekMessagesAsync(32)).Value)
                {
                    var body = JsonDocument.Parse(message.Body.ToString()).RootElement;
                    if (body.GetProperty("caseNumber").GetString() == caseNumber && body.GetProperty("kind").GetString() == kind)
                    {
                        return body.Clone();
                    }
                }
            }
            Assert.True(DateTime.UtcNow < deadline, $"No {kind} task for case {caseNumber} on {department}'s queue.");
            await Task.Delay(200);
        }
    }
}
