using System.IO.Compression;
using System.Text.Json;
using Microsoft.Playwright;

namespace Ali.Serverless.Web.Tests;

/// <summary>A phone's screen, accessibility, the first load's weight, a slow link and a lost connection.</summary>
[Collection(WebHostCollection.Name)]
public sealed class QualityTests(WebHost host, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly string AxeScript = Path.Combine(WebHost.WebRoot, "node_modules", "axe-core", "axe.min.js");

    [Fact]
    public async Task At360By640_EveryPageOfTheApplyFlowAndTheWorkbench_FitsWithoutHorizontalScrolling_AndHasNoSeriousAccessibilityViolation()
    {
        var subject = $"company-{Guid.NewGuid():N}";
        var page = await browser.OpenAsync(host, "/", 360, 640);
        await page.Locator("a[data-item]").First.WaitForAsync();
        await CheckPageAsync(page, "catalog");
        await page.Locator($"a[data-item='{Journey.Item}']").ClickAsync();
        await page.GetByTestId("item-name").WaitForAsync();
        await CheckPageAsync(page, "item guide");
        await page.GetByTestId("apply").ClickAsync();
        await page.Locator("select[name=role]").WaitForAsync();
        await CheckPageAsync(page, "sign-in");
        await page.SignInAsync("applicant", subject);
        await CheckPageAsync(page, "application form");
        await page.Locator("input[name=name]").FillAsync("阿里高原能源有限公司");
        await page.Locator("input[name=documentNumber]").FillAsync("91350100M000100Y43");
        await page.Locator("form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/#/applications/*");
        await Journey.UploadAsync(page, "M01", Web.PdfFile("申请报告.pdf"));
        await Journey.UploadAsync(page, "M02", Web.PdfFile("意见书.pdf"));
        await CheckPageAsync(page, "application with materials");
        await page.GetByTestId("submit").ClickAsync();
        await Journey.ExpectStatusAsync(page, "pending-acceptance");
        await CheckPageAsync(page, "submitted application");
        var caseNumber = (await page.GetByTestId("case-number").TextContentAsync())!.Trim();
        await page.ScreenshotAsync(nameof(At360By640_EveryPageOfTheApplyFlowAndTheWorkbench_FitsWithoutHorizontalScrolling_AndHasNoSeriousAccessibilityViolation));

        var staff = await browser.OpenAsync(host, "/workbench/", 360, 640);
        await staff.Locator("select[name=role]").WaitForAsync();
        await CheckPageAsync(staff, "workbench sign-in");
        await staff.SignInAsync("reviewer", "reviewer-fgw", "542500-FGW");
        await staff.GetByTestId("worklist").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await CheckPageAsync(staff, "worklist");
        await Journey.OpenTaskAsync(browser, host, "542500-FGW", caseNumber, "acceptance", staff);
        await CheckPageAsync(staff, "task");
        await staff.Locator("input[name=outcome][value=supplement]").CheckAsync();
        await CheckPageAsync(staff, "task with the supplement list");
        await staff.ScreenshotAsync(nameof(At360By640_EveryPageOfTheApplyFlowAndTheWorkbench_FitsWithoutHorizontalScrolling_AndHasNoSeriousAccessibilityViolation) + "-task");

        var supervisor = await browser.OpenAsync(host, "/workbench/", 360, 640);
        await supervisor.SignInAsync("supervisor", "sup-1");
        await supervisor.GetByTestId("warnings").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await CheckPageAsync(supervisor, "warnings");
        await supervisor.GotoAsync($"/workbench/#/cases/{caseNumber}");
        await supervisor.GetByTestId("timeline").WaitForAsync();
        await CheckPageAsync(supervisor, "case");
    }

    [Fact]
    public async Task TheFirstLoadOfThePortal_IsWithin150KbGzipped_AndItIsUsableOnASlowLink()
    {
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = host.BaseUrl });
        var page = await context.NewPageAsync();
        var responses = new List<IResponse>();
        page.Response += (_, response) => responses.Add(response);
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.enable");
        // A weak mobile link: 400 ms round trips, 400 kbit/s down.
        await cdp.SendAsync("Network.emulateNetworkConditions", new()
        {
            ["offline"] = false,
            ["latency"] = 400,
            ["downloadThroughput"] = 50_000,
            ["uploadThroughput"] = 25_000,
        });
        var started = DateTime.UtcNow;
        await page.GotoAsync("/");
        await page.Locator("a[data-item]").First.WaitForAsync(new() { Timeout = 30_000 });
        var usableAfter = DateTime.UtcNow - started;
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        long gzipped = 0;
        var lines = new List<string>();
        foreach (var response in responses.Where(r => r.Request.ResourceType != "font"))
        {
            var body = await response.BodyAsync();
            using var buffer = new MemoryStream();
            using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            {
                gzip.Write(body);
            }
            gzipped += buffer.Length;
            lines.Add($"{response.Url} {body.Length} B, {buffer.Length} B gzipped");
        }
        Assert.True(gzipped <= 150 * 1024, $"The first load weighs {gzipped} B gzipped:\n{string.Join('\n', lines)}");
        Assert.True(usableAfter < TimeSpan.FromSeconds(15), $"The catalog took {usableAfter} on a slow link.");
        await page.ScreenshotAsync(nameof(TheFirstLoadOfThePortal_IsWithin150KbGzipped_AndItIsUsableOnASlowLink));
        await context.CloseAsync();
    }

    [Fact]
    public async Task ALostConnection_IsSaidPlainly_AndTheSearchIsRetriedWhenItComesBack()
    {
        var page = await browser.OpenAsync(host, "/");
        await page.Locator("a[data-item]").First.WaitForAsync();
        await page.Context.SetOfflineAsync(true);
        await page.Locator("input[name=keyword]").FillAsync("企业投资");
        await page.Locator("form[role=search] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.GetByTestId("offline")).ToContainTextAsync("网络连接已中断");
        await page.ScreenshotAsync(nameof(ALostConnection_IsSaidPlainly_AndTheSearchIsRetriedWhenItComesBack) + "-offline");
        Assert.True(await page.Locator("main").IsVisibleAsync(), "The page went blank.");

        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(page.GetByTestId("offline")).ToBeHiddenAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("a[data-item]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator($"a[data-item='{Journey.Item}']")).ToBeVisibleAsync();
        await page.ScreenshotAsync(nameof(ALostConnection_IsSaidPlainly_AndTheSearchIsRetriedWhenItComesBack));
    }

    private static async Task CheckPageAsync(IPage page, string name)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"{name}: the page is {widths[0]} px wide in a {widths[1]} px window.");

        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
        {
            await page.AddScriptTagAsync(new() { Path = AxeScript });
        }
        var result = await page.EvaluateAsync<JsonElement>("async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).join(', ') }))");
        var serious = result.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("nodes").GetString()}")
            .ToList();
        Assert.True(serious.Count == 0, $"{name}: {string.Join("; ", serious)}");
    }
}
