using Microsoft.Playwright;

namespace Ali.Serverless.Web.Tests;

/// <summary>One headless Chromium (Debian's) per test class; each test opens its own context.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Two cores shared by every test project of the run: give the page time before calling it a failure.
        Assertions.SetDefaultExpectTimeout(15_000);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
    }
}

/// <summary>What the browser tests share: pages on the host, sign-in, screenshots, files to upload.</summary>
public static class Web
{
    /// <summary>Where each test's screenshot goes: a test artifact under the test output.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<IPage> OpenAsync(this BrowserFixture browser, WebHost host, string path, int width = 1024, int height = 768, string? lang = null)
    {
        var context = await browser.Browser.NewContextAsync(new()
        {
            BaseURL = host.BaseUrl,
            ViewportSize = new() { Width = width, Height = height },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
        context.SetDefaultTimeout(30_000);
        if (lang is not null)
        {
            await context.AddInitScriptAsync($"localStorage.setItem('ali.lang', '{lang}')");
        }
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        return page;
    }

    public static async Task<string> ScreenshotAsync(this IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, $"{name}.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 1000, $"The screenshot {path} is empty.");
        return path;
    }

    /// <summary>Signs in on the page's own sign-in form (the development token route).</summary>
    public static async Task SignInAsync(this IPage page, string role, string subject, string? department = null)
    {
        await page.Locator("select[name=role]").SelectOptionAsync(role);
        await page.Locator("input[name=subject]").FillAsync(subject);
        if (department is not null)
        {
            await page.Locator("select[name=department]").SelectOptionAsync(department);
        }
        await page.Locator("form button[type=submit]").ClickAsync();
        await page.GetByTestId("who").WaitForAsync();
    }

    /// <summary>A real PDF file on disk (a one-page document, padded to the size asked for).</summary>
    public static string PdfFile(string name, int size = 4096)
    {
        var text = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
            "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
        var bytes = new byte[Math.Max(size, text.Length)];
        System.Text.Encoding.ASCII.GetBytes(text).CopyTo(bytes, 0);
        for (var i = text.Length; i < bytes.Length; i++)
        {
            // A comment line of filler, as PDF writers pad: the bytes differ so blocks differ.
            bytes[i] = i % 64 == 63 ? (byte)'\n' : (byte)('a' + (i * 7 % 26));
        }
        return Write(name, bytes);
    }

    /// <summary>A PNG file on disk: its signature and a header chunk, then filler.</summary>
    public static string PngFile(string name, int size = 2048)
    {
        var bytes = new byte[size];
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(bytes, 0);
        return Write(name, bytes);
    }

    private static string Write(string name, byte[] bytes)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ali-web-files-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
