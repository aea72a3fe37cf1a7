using Microsoft.Playwright;

namespace Ali.Serverless.Web.Tests;

/// <summary>The applicants' portal and the workbench, through the whole life of a case.</summary>
[Collection(WebHostCollection.Name)]
public sealed class PortalTests(WebHost host, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AnApplicant_FindsAnItem_Applies_UploadsRealFiles_AndSubmits()
    {
        var page = await Journey.OpenApplicationAsync(browser, host, $"company-{Guid.NewGuid():N}");
        await Journey.ExpectStatusAsync(page, "draft");

        await Journey.UploadAsync(page, "M01", Web.PdfFile("项目申请报告.pdf", 600_000));
        await Journey.UploadAsync(page, "M02", Web.PngFile("用地预审意见书.png", 40_000));
        await page.GetByTestId("submit").ClickAsync();

        await Journey.ExpectStatusAsync(page, "pending-acceptance");
        await Assertions.Expect(page.GetByTestId("case-number")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"\S+"));
        await page.ScreenshotAsync(nameof(AnApplicant_FindsAnItem_Applies_UploadsRealFiles_AndSubmits));
    }

    [Fact]
    public async Task TheWholeJourney_SupplementReupload_TwoDepartmentsApprove_EndsCompletedWithItsTimeline()
    {
        var (applicant, caseNumber) = await Journey.SubmittedCaseAsync(browser, host);

        // 发改委 opens the application report through its read link, then asks for M02 again.
        var fgw = await Journey.OpenTaskAsync(browser, host, "542500-FGW", caseNumber, "acceptance");
        var download = await fgw.RunAndWaitForDownloadAsync(() => fgw.Locator("[data-material=M01] button").ClickAsync());
        Assert.Contains("/materials/", download.Url, StringComparison.Ordinal);
        var saved = await download.PathAsync();
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(saved!), 0, 5), StringComparison.Ordinal);
        await fgw.Locator("input[name=outcome][value=supplement]").CheckAsync();
        await fgw.Locator("input[name=missing][value=M02]").CheckAsync();
        await fgw.Locator("input[name=reason-M02]").FillAsync("意见书未盖章");
        await fgw.GetByTestId("complete").ClickAsync();
        await fgw.GetByTestId("task-actions").WaitForAsync(new() { State = WaitForSelectorState.Detached });

        // The applicant sees what to supplement, uploads it again and resubmits.
        await applicant.ReloadAsync();
        await Journey.ExpectStatusAsync(applicant, "supplement-requested");
        await Assertions.Expect(applicant.GetByTestId("supplement")).ToContainTextAsync("意见书未盖章");
        Assert.Equal(0, await applicant.GetByTestId("file-M01").CountAsync());
        await Journey.UploadAsync(applicant, "M02", Web.PdfFile("用地预审意见书（盖章）.pdf", 9000));
        await applicant.GetByTestId("resubmit").ClickAsync();
        await Journey.ExpectStatusAsync(applicant, "pending-acceptance");

        // 发改委 accepts; 自然资源局 and 发改委 review; 发改委 decides.
        await Journey.OpenTaskAsync(browser, host, "542500-FGW", caseNumber, "acceptance", fgw);
        await Journey.CompleteTaskAsync(fgw, "accept");
        var zrzyj = await Journey.OpenTaskAsync(browser, host, "542500-ZRZYJ", caseNumber, "review");
        await Journey.CompleteTaskAsync(zrzyj, "approve", "用地符合规划");
        await Journey.OpenTaskAsync(browser, host, "542500-FGW", caseNumber, "review", fgw);
        await Journey.CompleteTaskAsync(fgw, "approve");
        await Journey.OpenTaskAsync(browser, host, "542500-FGW", caseNumber, "decision", fgw);
        await Journey.CompleteTaskAsync(fgw, "approve", "准予核准");
        await fgw.ScreenshotAsync(nameof(TheWholeJourney_SupplementReupload_TwoDepartmentsApprove_EndsCompletedWithItsTimeline) + "-workbench");

        await applicant.ReloadAsync();
        await Journey.ExpectStatusAsync(applicant, "completed");
        var steps = await applicant.GetByTestId("timeline").Locator("li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.step)");
        Assert.Contains("acceptance", steps);
        Assert.Contains("resubmission", steps);
        Assert.Contains("decision", steps);
        Assert.Equal(2, steps.Count(s => s == "review"));
        await Assertions.Expect(applicant.GetByTestId("decision")).ToContainTextAsync("准予核准");
        await applicant.ScreenshotAsync(nameof(TheWholeJourney_SupplementReupload_TwoDepartmentsApprove_EndsCompletedWithItsTimeline));
    }
}
