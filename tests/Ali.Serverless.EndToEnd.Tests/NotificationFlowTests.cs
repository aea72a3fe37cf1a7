using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>
/// Notifications over the local host, its queues and the fake SMS gateway that test.sh starts:
/// inboxes for the applicant and the departments, SMS tracked to delivery, retries, languages.
/// </summary>
[Collection(LocalHostCollection.Name)]
public sealed class NotificationFlowTests(LocalHostProcess host)
{
    private const string Phone = "13900000000";

    private static readonly HttpClient Gateway = new()
    {
        BaseAddress = new Uri(Environment.GetEnvironmentVariable("ALI_TEST_SMS") ?? "http://127.0.0.1:7081"),
        Timeout = TimeSpan.FromSeconds(10),
    };

    private static async Task<JsonElement> WaitForAsync(HttpClient client, string path, Func<JsonElement, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement last;
        do
        {
            last = await (await client.GetAsync(path)).JsonAsync();
            if (condition(last))
            {
                return last;
            }
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"{what} did not happen in 30 s: {last}");
        return last;
    }

    private static IEnumerable<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray();

    [Fact]
    public async Task Lifecycle_FillsTheApplicantsAndTheDepartmentsInboxes_AndTheSmsIsDelivered()
    {
        var company = await host.ClientAsAsync("applicant", $"company-{Guid.NewGuid():N}");
        var lead = await host.ClientAsAsync("reviewer", "fgw-reviewer", CaseLifecycleTests.LeadDepartment);
        var id = await SubmitAsync(company);
        await IntakeFlowTests.WaitForAsync(company, id, a => a.GetProperty("status").GetString() == "pending-acceptance");
        var caseNumber = (await (await company.GetAsync($"/api/applications/{id}")).JsonAsync()).GetProperty("caseNumber").GetString()!;

        var assigned = await WaitForAsync(lead, "/api/me/notifications?pageSize=100",
            page => Items(page).Any(n => n.GetProperty("caseNumber").GetString() == caseNumber && n.GetProperty("event").GetString() == "task-assigned"),
            "The department's task-assigned notification");
        Assert.Contains("受理", Items(assigned).First(n => n.GetProperty("caseNumber").GetString() == caseNumber).GetProperty("body").GetString());

        var task = Items(await (await lead.GetAsync("/api/worklist?kind=acceptance&pageSize=100")).JsonAsync())
            .Single(t => t.GetProperty("caseNumber").GetString() == caseNumber).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await lead.PostAsJsonAsync($"/api/tasks/{task}/complete", new { outcome = "accept" })).StatusCode);

        var inbox = await WaitForAsync(company, "/api/me/notifications", page => Items(page).Count() == 2, "The applicant's two inbox entries");
        Assert.Equal(["accepted", "submitted"], Items(inbox).Select(n => n.GetProperty("event").GetString()));
        Assert.Contains("承诺于", Items(inbox).First().GetProperty("body").GetString());

        var sent = await WaitForAsync(company, $"/api/applications/{id}/notifications",
            page => Items(page).Count(n => n.GetProperty("channel").GetString() == "sms" && n.GetProperty("status").GetString() == "delivered") == 2,
            "Two SMS delivered");
        var sms = Items(sent).Where(n => n.GetProperty("channel").GetString() == "sms").ToList();
        Assert.All(sms, n => Assert.Equal("1390***0000", n.GetProperty("phoneMasked").GetString()));
        var recorded = await (await Gateway.GetAsync("/_control/messages")).Content.ReadAsStringAsync();
        Assert.Contains(sms[0].GetProperty("id").GetString()!, recorded);

        // Read one; the unread filter leaves the other.
        var first = Items(inbox).First().GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await company.PostAsync($"/api/me/notifications/{first}/read", null)).StatusCode);
        Assert.Single(Items(await (await company.GetAsync("/api/me/notifications?unread=true")).JsonAsync()));

        // The phone number went to the gateway and nowhere else: not into the host's log, nor the credit code.
        Assert.DoesNotContain(Phone, host.Output);
        Assert.DoesNotContain(CaseLifecycleTests.CreditCode, host.Output);
        Assert.DoesNotContain(Api.ValidIdNumber, host.Output);
    }

    [Fact]
    public async Task GatewayFailingOnce_TheSmsIsDeliveredOnTheSecondTry()
    {
        var company = await host.ClientAsAsync("applicant", $"company-{Guid.NewGuid():N}");
        Assert.True((await Gateway.PostAsJsonAsync("/_control/fail", new { count = 1, status = 500 })).IsSuccessStatusCode);

        var id = await SubmitAsync(company);

        var sent = await WaitForAsync(company, $"/api/applications/{id}/notifications",
            page => Items(page).Any(n => n.GetProperty("channel").GetString() == "sms" && n.GetProperty("status").GetString() == "delivered"),
            "The SMS delivered after a retry");
        Assert.Equal(2, Items(sent).Single(n => n.GetProperty("channel").GetString() == "sms").GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Preferences_AreSetAndRead_AndOnlyZhOrBo()
    {
        var citizen = await host.ClientAsAsync("applicant", $"citizen-{Guid.NewGuid():N}");

        Assert.Equal("zh", (await (await citizen.GetAsync("/api/me/preferences")).JsonAsync()).GetProperty("language").GetString());
        Assert.Equal(HttpStatusCode.OK, (await citizen.PutAsJsonAsync("/api/me/preferences", new { language = "bo" })).StatusCode);
        Assert.Equal("bo", (await (await citizen.GetAsync("/api/me/preferences")).JsonAsync()).GetProperty("language").GetString());
        var bad = await citizen.PutAsJsonAsync("/api/me/preferences", new { language = "en" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("language", (await bad.JsonAsync()).ErrorFields());
    }

    [Fact]
    public async Task ReceiptCallback_WithoutItsToken_IsRefused_AndOperatorsSeeCounts()
    {
        var refused = await host.Http.PostAsync("/api/notifications/receipts?token=wrong", JsonContent.Create(Array.Empty<object>()));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        var operatorClient = await host.ClientAsAsync("operator", "ops-1");
        var counts = await (await operatorClient.GetAsync("/api/ops/notifications")).JsonAsync();
        Assert.True(counts.TryGetProperty("tibetanFallbacks", out _));
        var applicant = await host.ClientAsAsync("applicant", "someone");
        Assert.Equal(HttpStatusCode.Forbidden, (await applicant.GetAsync("/api/ops/notifications")).StatusCode);
    }

    private static async Task<string> SubmitAsync(HttpClient company)
    {
        var opened = await company.OpenAsync(new
        {
            itemCode = CaseLifecycleTests.ProjectItem,
            channel = "web",
            applicant = new { kind = "legal-person", documentNumber = CaseLifecycleTests.CreditCode, name = "阿里高原能源有限公司", phone = Phone },
        });
        var id = opened.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await company.ProvideAsync(id, "M01", Api.Pdf())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await company.ProvideAsync(id, "M02", Api.Pdf())).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await company.PostAsync($"/api/applications/{id}/submit", null)).StatusCode);
        return id;
    }
}
