using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Ali.Serverless.Web.Tests;

/// <summary>Uploads on a weak link: a block cut off mid-way and an expired upload URL.</summary>
[Collection(WebHostCollection.Name)]
public sealed class UploadResumeTests(WebHost host, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AnUploadCutInTheMiddle_Resumes_AndCompletes_WithoutStartingOver()
    {
        var page = await Journey.OpenApplicationAsync(browser, host, $"company-{Guid.NewGuid():N}");
        var stored = new ConcurrentDictionary<string, int>();
        var attempts = new ConcurrentDictionary<string, int>();
        var renewals = 0;
        string? cut = null, expired = null;
        var blockMd5s = new ConcurrentDictionary<string, (string? Sent, string OfBody)>();
        string? committedMd5 = null;
        await page.RouteAsync(new Regex(@"comp=block&blockid="), async route =>
        {
            var blockId = Uri.UnescapeDataString(Regex.Match(route.Request.Url, @"blockid=([^&]+)").Groups[1].Value);
            var attempt = attempts.AddOrUpdate(blockId, 1, (_, n) => n + 1);
            // Each block carries its own MD5 (decision 21), which Blob Storage checks.
            blockMd5s[blockId] = (route.Request.Headers.GetValueOrDefault("content-md5"), Md5(route.Request.PostDataBuffer ?? []));
            if (attempts.Count == 3 && attempt == 1)
            {
                // The third block: the link drops while it is on its way.
                cut = blockId;
                await route.AbortAsync("connectionreset");
                return;
            }
            if (attempts.Count == 5 && attempt == 1)
            {
                // The fifth: the upload URL has expired meanwhile, as Blob Storage says it.
                expired = blockId;
                await route.FulfillAsync(new() { Status = 403, Body = "AuthenticationFailed" });
                return;
            }
            await route.ContinueAsync();
            stored.AddOrUpdate(blockId, 1, (_, n) => n + 1);
        });
        await page.RouteAsync("**/upload-target", async route =>
        {
            Interlocked.Increment(ref renewals);
            await route.ContinueAsync();
        });
        await page.RouteAsync(new Regex(@"comp=blocklist"), async route =>
        {
            committedMd5 = route.Request.Headers.GetValueOrDefault("x-ms-blob-content-md5");
            await route.ContinueAsync();
        });

        // 1.5 MB: six blocks of 256 KiB, the last one shorter.
        var file = Web.PdfFile("项目申请报告.pdf", 1_500_000);
        await page.Locator("[data-material=M01]").GetByTestId("file-M01").SetInputFilesAsync(file);
        await Assertions.Expect(page.GetByTestId("offline")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(page.GetByTestId("offline")).ToContainTextAsync("网络连接已中断");
        var card = page.Locator("[data-material=M01]");
        await Assertions.Expect(card).ToContainTextAsync("项目申请报告.pdf", new() { Timeout = 30_000 });
        await Assertions.Expect(card.GetByTestId("material-status")).ToHaveAttributeAsync("data-status", "verified");
        await Assertions.Expect(page.GetByTestId("offline")).ToBeHiddenAsync();

        Assert.NotNull(cut);
        Assert.NotNull(expired);
        Assert.Equal(6, attempts.Count);
        // Every block reached Blob Storage exactly once: nothing was sent again from the start.
        Assert.All(stored, b => Assert.Equal(1, b.Value));
        Assert.Equal(6, stored.Count);
        Assert.Equal(2, attempts[cut!]);
        Assert.Equal(2, attempts[expired!]);
        Assert.Equal(4, attempts.Values.Count(n => n == 1));
        Assert.Equal(1, renewals);
        Assert.Equal(6, blockMd5s.Count);
        Assert.All(blockMd5s.Values, m => Assert.Equal(m.OfBody, m.Sent));
        Assert.Equal(Md5(await File.ReadAllBytesAsync(file)), committedMd5);
        await page.ScreenshotAsync(nameof(AnUploadCutInTheMiddle_Resumes_AndCompletes_WithoutStartingOver));
    }

    [Fact]
    public async Task AnUploadLeftDuringAnOutage_CarriesOnAfterAReload_WithTheSameFile_FromTheFirstMissingBlock()
    {
        var page = await Journey.OpenApplicationAsync(browser, host, $"company-{Guid.NewGuid():N}");
        var url = page.Url;
        var sent = new ConcurrentDictionary<string, int>();
        var outage = true;
        await page.Context.RouteAsync(new Regex(@"comp=block&blockid="), async route =>
        {
            var blockId = Uri.UnescapeDataString(Regex.Match(route.Request.Url, @"blockid=([^&]+)").Groups[1].Value);
            // Two blocks get through, then the link is down until the reload.
            if (outage && sent.Count >= 2 && !sent.ContainsKey(blockId))
            {
                await route.AbortAsync("internetdisconnected");
                return;
            }
            await route.ContinueAsync();
            sent.AddOrUpdate(blockId, 1, (_, n) => n + 1);
        });
        var file = Web.PdfFile("项目申请报告.pdf", 1_000_000);
        await page.GetByTestId("file-M01").SetInputFilesAsync(file);
        await Assertions.Expect(page.GetByTestId("offline")).ToBeVisibleAsync();
        Assert.Equal(2, sent.Count);

        // The person gives up, comes back later and picks the same file again.
        outage = false;
        await page.ReloadAsync();
        await page.WaitForURLAsync(url);
        await Journey.UploadAsync(page, "M01", file);

        // Four blocks in all, each sent once: the two stored before the outage were not sent again.
        Assert.Equal(4, sent.Count);
        Assert.All(sent, b => Assert.Equal(1, b.Value));
        await page.ScreenshotAsync(nameof(AnUploadLeftDuringAnOutage_CarriesOnAfterAReload_WithTheSameFile_FromTheFirstMissingBlock));
    }

    private static string Md5(byte[] bytes) => Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(bytes));
}
