using Microsoft.Playwright;

namespace Ali.Serverless.Web.Tests;

/// <summary>Steps of the journey that several tests take, done through the pages as a person would.</summary>
public static class Journey
{
    public const string Item = "542500-FGW-01001";

    /// <summary>An applicant finds the item, signs in, opens an application and lands on it.</summary>
    public static async Task<IPage> OpenApplicationAsync(BrowserFixture browser, WebHost host, string subject, int width = 1024, int height = 768, string? lang = null)
    {
        var page = await browser.OpenAsync(host, "/", width, height, lang);
        await page.Locator("input[name=keyword]").FillAsync("企业投资");
        await page.Locator("form[role=search] button[type=submit]").ClickAsync();
        await page.Locator($"a[data-item='{Item}']").ClickAsync();
        await page.GetByTestId("item-name").WaitForAsync();
        await page.GetByTestId("apply").ClickAsync();
        await page.SignInAsync("applicant", subject);
        await page.Locator("input[name=name]").FillAsync("阿里高原能源有限公司");
        await page.Locator("input[name=documentNumber]").FillAsync("91350100M000100Y43");
        await page.Locator("input[name=phone]").FillAsync("13900000000");
        await page.Locator("textarea[name=remark]").FillAsync("狮泉河镇光伏电站项目");
        await page.Locator("form button[type=submit]").ClickAsync();
        // The first application on a fresh host also creates its local keys and warms its stores; with the
        // end-to-end suite running beside it on 2 cores that has taken longer than Playwright's 30 s default.
        await page.WaitForURLAsync("**/#/applications/*", new() { Timeout = 90_000 });
        return page;
    }

    /// <summary>An applicant applies with both required files and submits; returns their page and the case number.</summary>
    public static async Task<(IPage Applicant, string CaseNumber)> SubmittedCaseAsync(BrowserFixture browser, WebHost host)
    {
        var applicant = await OpenApplicationAsync(browser, host, $"company-{Guid.NewGuid():N}");
        await UploadAsync(applicant, "M01", Web.PdfFile("项目申请报告.pdf"));
        await UploadAsync(applicant, "M02", Web.PdfFile("用地预审意见书.pdf"));
        await applicant.GetByTestId("submit").ClickAsync();
        await ExpectStatusAsync(applicant, "pending-acceptance");
        return (applicant, (await applicant.GetByTestId("case-number").TextContentAsync())!.Trim());
    }

    public static string ApplicationId(IPage page) => Uri.UnescapeDataString(page.Url.Split("#/applications/")[1]);

    /// <summary>Picks a file for a material in the page's file picker and waits until it is verified.</summary>
    public static async Task UploadAsync(IPage page, string materialCode, string file)
    {
        var card = page.Locator($"[data-material={materialCode}]");
        await card.GetByTestId($"file-{materialCode}").SetInputFilesAsync(file);
        // A material asked for again already shows the old file verified: wait for this file's name.
        await Assertions.Expect(card).ToContainTextAsync(Path.GetFileName(file), new() { Timeout = 30_000 });
        await Assertions.Expect(card.GetByTestId("material-status")).ToHaveAttributeAsync("data-status", "verified");
    }

    public static async Task ExpectStatusAsync(IPage page, string status)
    {
        try
        {
            await Assertions.Expect(page.GetByTestId("status").First).ToHaveAttributeAsync("data-status", status, new() { Timeout = 30_000 });
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            // What the page said instead is the quickest clue.
            await page.ScreenshotAsync($"failed-{status}-{Guid.NewGuid():N}");
            throw new Xunit.Sdk.XunitException($"Expected status {status}; the page shows: {await page.Locator("main").InnerTextAsync()}\n{e.Message}");
        }
    }

    /// <summary>The reviewer's side: signs in on the workbench and opens the case's task of a kind.</summary>
    public static async Task<IPage> OpenTaskAsync(BrowserFixture browser, WebHost host, string department, string caseNumber, string kind, IPage? page = null)
    {
        if (page is null)
        {
            page = await browser.OpenAsync(host, "/workbench/");
            await page.SignInAsync("reviewer", $"reviewer-{department.ToLowerInvariant()}", department);
        }
        else
        {
            await page.GotoAsync("/workbench/#/");
        }
        var row = page.Locator($"[data-case='{caseNumber}'][data-kind={kind}] a");
        // The task appears once the queue delivered the case: reload the worklist until it does.
        for (var i = 0; i < 40 && await row.CountAsync() == 0; i++)
        {
            await Task.Delay(500);
            await page.ReloadAsync();
            await page.GetByTestId("worklist").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        }
        await row.ClickAsync();
        await page.GetByTestId("task-actions").WaitForAsync();
        return page;
    }

    public static async Task CompleteTaskAsync(IPage page, string outcome, string? opinion = null)
    {
        await page.Locator($"input[name=outcome][value={outcome}]").CheckAsync();
        if (opinion is not null)
        {
            await page.Locator("textarea[name=opinion]").FillAsync(opinion);
        }
        await page.GetByTestId("complete").ClickAsync();
        await page.GetByTestId("task-actions").WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }
}
