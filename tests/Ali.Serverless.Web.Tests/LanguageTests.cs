using System.Text.Json;
using Microsoft.Playwright;

namespace Ali.Serverless.Web.Tests;

/// <summary>Chinese and Tibetan: switchable on every page, remembered, and Tibetan actually drawn in a Tibetan font.</summary>
[Collection(WebHostCollection.Name)]
public sealed class LanguageTests(WebHost host, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static Dictionary<string, string> Strings(string lang) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(WebHost.WebRoot, "src", "i18n", $"{lang}.json")))!;

    [Fact]
    public async Task Tibetan_IsChosenOnAPage_RememberedOnTheOthers_AndAskedOfTheApi()
    {
        var page = await browser.OpenAsync(host, "/");
        await page.GetByTestId("catalog").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var catalogRequests = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/catalog/items", StringComparison.Ordinal))
            {
                catalogRequests.Add(request.Url + " " + request.Headers.GetValueOrDefault("accept-language"));
            }
        };

        await page.Locator("button[data-lang=bo]").ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "bo");
        await Assertions.Expect(page.Locator("a[data-item]").First).ToBeVisibleAsync();
        Assert.Contains(catalogRequests, r => r.Contains("lang=bo", StringComparison.Ordinal) && r.Contains(" bo", StringComparison.Ordinal));

        // Remembered: on the workbench, another page of the same site.
        await page.GotoAsync("/workbench/");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "bo");
        await AssertNoChineseWhereTibetanExistsAsync(page);
        await page.Locator("button[data-lang=zh]").ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh");
    }

    [Fact]
    public async Task TheApplyJourneyInTibetan_ShowsNoChineseUiStringThatHasTibetan_AndDrawsTibetanGlyphs()
    {
        var page = await Journey.OpenApplicationAsync(browser, host, $"company-{Guid.NewGuid():N}", lang: "bo");
        await Journey.ExpectStatusAsync(page, "draft");
        await Journey.UploadAsync(page, "M01", Web.PdfFile("project.pdf"));
        await AssertNoChineseWhereTibetanExistsAsync(page);

        // The Tibetan label is drawn with a font that has Tibetan glyphs, not boxes: ask the renderer.
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("DOM.enable");
        await cdp.SendAsync("CSS.enable");
        var document = await cdp.SendAsync("DOM.getDocument");
        var node = await cdp.SendAsync("DOM.querySelector", new()
        {
            ["nodeId"] = document!.Value.GetProperty("root").GetProperty("nodeId").GetInt32(),
            ["selector"] = "button[data-lang=bo]",
        });
        var fonts = await cdp.SendAsync("CSS.getPlatformFontsForNode", new() { ["nodeId"] = node!.Value.GetProperty("nodeId").GetInt32() });
        var families = fonts!.Value.GetProperty("fonts").EnumerateArray().Select(f => f.GetProperty("familyName").GetString()!).ToList();
        Assert.Contains(families, f => f.Contains("Tibetan", StringComparison.OrdinalIgnoreCase) || f.Contains("Jomolhari", StringComparison.OrdinalIgnoreCase));
        await page.ScreenshotAsync(nameof(TheApplyJourneyInTibetan_ShowsNoChineseUiStringThatHasTibetan_AndDrawsTibetanGlyphs));
    }

    /// <summary>Every UI string the Tibetan file has is shown in Tibetan, never its Chinese.</summary>
    private static async Task AssertNoChineseWhereTibetanExistsAsync(IPage page)
    {
        var zh = Strings("zh");
        var bo = Strings("bo");
        Assert.NotEmpty(bo);
        var text = await page.Locator("body").InnerTextAsync();
        foreach (var (key, tibetan) in bo)
        {
            Assert.True(zh.ContainsKey(key), $"bo.json has {key}, which zh.json lacks.");
            Assert.DoesNotContain(zh[key], text, StringComparison.Ordinal);
        }
        Assert.Contains(bo["lang.bo"], text, StringComparison.Ordinal);
    }
}
