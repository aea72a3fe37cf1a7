using System.Text.Json;
using Microsoft.Playwright;

namespace Ali.Serverless.Web.Tests;

/// <summary>The workbench's worklist marks and the window version of the portal.</summary>
[Collection(WebHostCollection.Name)]
public sealed class WorkbenchTests(WebHost host, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task TheWorklist_PutsTheSoonestDueFirst_AndMarksNearDueAndOverdue()
    {
        var page = await browser.OpenAsync(host, "/workbench/");
        await page.SignInAsync("reviewer", "reviewer-fgw", "542500-FGW");
        // Tasks due yesterday, tomorrow and in ten days cannot be made to order through the API in a test,
        // so the worklist's answer is given here, in the API's shape, and out of order.
        var now = DateTimeOffset.UtcNow;
        object Task(string id, string kind, TimeSpan dueIn) => new
        {
            id, kind, caseNumber = $"542500-TEST-{id}", applicationId = id, itemCode = Journey.Item, departmentCode = "542500-FGW",
            state = "open", createdAt = now.AddDays(-3), dueAt = now.Add(dueIn),
        };
        await page.RouteAsync("**/api/worklist**", route => route.FulfillAsync(new()
        {
            ContentType = "application/json",
            Body = JsonSerializer.Serialize(new { items = new[] { Task("far", "review", TimeSpan.FromDays(10)), Task("late", "acceptance", TimeSpan.FromDays(-1)), Task("near", "decision", TimeSpan.FromDays(1)) } }),
        }));
        await page.ReloadAsync();

        var rows = page.GetByTestId("worklist").Locator("li");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        Assert.Equal(["542500-TEST-late", "542500-TEST-near", "542500-TEST-far"], await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.case)"));
        Assert.Equal(["overdue", "near-due", ""], await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.urgency)"));
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("已超期");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("临近期限");
        await page.ScreenshotAsync(nameof(TheWorklist_PutsTheSoonestDueFirst_AndMarksNearDueAndOverdue));
    }

    [Fact]
    public async Task AWindowClerk_AppliesForThePersonAtTheWindow_OnTheWindowChannel_AndWithdrawsIt()
    {
        var page = await browser.OpenAsync(host, "/#/items/542500-RSJ-20001");
        await page.GetByTestId("apply").ClickAsync();
        await page.SignInAsync("window-clerk", $"clerk-{Guid.NewGuid():N}", "542500-RSJ");
        await Assertions.Expect(page.Locator(".banner.info")).ToContainTextAsync("窗口代办");
        await page.Locator("select[name=kind]").SelectOptionAsync("natural-person");
        await page.Locator("input[name=name]").FillAsync("次仁卓玛");
        await page.Locator("input[name=documentNumber]").FillAsync("11010519491231002X");
        await page.Locator("form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/#/applications/*");
        await Journey.ExpectStatusAsync(page, "draft");

        var saved = await page.EvaluateAsync<JsonElement>("async () => (await fetch('/api/applications/' + location.hash.split('/')[2], { headers: { authorization: 'Bearer ' + JSON.parse(sessionStorage.getItem('ali.session')).accessToken } })).json()");
        Assert.Equal("window", saved.GetProperty("channel").GetString());

        // The person changes their mind: the clerk withdraws it for them.
        await page.GetByTestId("withdraw").ClickAsync();
        await page.Locator("form textarea").FillAsync("申请人不再办理");
        await page.GetByTestId("withdraw-confirm").ClickAsync();
        await Journey.ExpectStatusAsync(page, "withdrawn");
        await Assertions.Expect(page.GetByTestId("withdraw")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(nameof(AWindowClerk_AppliesForThePersonAtTheWindow_OnTheWindowChannel_AndWithdrawsIt));
    }

    [Fact]
    public async Task TheItemsDepartment_SuspendsACaseForAHearing_AndResumesIt_FromTheTask()
    {
        var (_, caseNumber) = await Journey.SubmittedCaseAsync(browser, host);
        var fgw = await Journey.OpenTaskAsync(browser, host, "542500-FGW", caseNumber, "acceptance");
        await Journey.CompleteTaskAsync(fgw, "accept");
        await Journey.OpenTaskAsync(browser, host, "542500-FGW", caseNumber, "review", fgw);

        var procedures = fgw.GetByTestId("procedures");
        await procedures.Locator("select[name=kind]").SelectOptionAsync("hearing");
        await procedures.Locator("input[name=reason]").FillAsync("利害关系人申请听证");
        await procedures.Locator("button[data-action=start]").ClickAsync();
        await Assertions.Expect(fgw.GetByTestId("status").First).ToHaveAttributeAsync("data-status", "suspended");
        await procedures.Locator("input[name=result]").FillAsync("听证结束，无异议");
        await procedures.Locator("button[data-action=end]").ClickAsync();
        await Assertions.Expect(fgw.GetByTestId("status").First).ToHaveAttributeAsync("data-status", "under-review");
        var steps = await fgw.GetByTestId("timeline").Locator("li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.step)");
        Assert.Contains("special-procedure", steps);
        Assert.Contains("special-procedure-end", steps);
        await fgw.ScreenshotAsync(nameof(TheItemsDepartment_SuspendsACaseForAHearing_AndResumesIt_FromTheTask));
    }
}
