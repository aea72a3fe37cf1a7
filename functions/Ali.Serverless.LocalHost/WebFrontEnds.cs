using Microsoft.Extensions.FileProviders;

namespace Ali.Serverless.LocalHost;

/// <summary>
/// Serves the built web front ends (web/dist: the portal at /, the workbench at /workbench/) beside the
/// API, so one local origin has both and the pages need no CORS. In Azure they are a static website.
/// </summary>
public static class WebFrontEnds
{
    /// <summary>
    /// The folder to serve: <c>LocalHost:WebRoot</c> if set, else the first <c>web/dist</c> above the app's
    /// own folder or the content root (a checkout's, whether run with dotnet run or from bin/).
    /// </summary>
    public static string? FindRoot(IConfiguration configuration, IWebHostEnvironment environment)
    {
        if (configuration["LocalHost:WebRoot"] is { Length: > 0 } configured)
        {
            return Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
        }
        foreach (var start in new[] { AppContext.BaseDirectory, environment.ContentRootPath })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "web", "dist");
                if (File.Exists(Path.Combine(candidate, "index.html")))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    public static void UseWebFrontEnds(this WebApplication app)
    {
        var root = FindRoot(app.Configuration, app.Environment);
        if (root is null)
        {
            app.Logger.LogWarning("No built web front ends (web/dist): run scripts/build-web.sh to serve the portal and the workbench.");
            return;
        }
        app.Logger.LogInformation("Serving the portal at / and the workbench at /workbench/ from {WebRoot}", root);
        var files = new PhysicalFileProvider(root);
        // /workbench without its slash would load the page with the wrong base for its relative links.
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.Equals("/workbench", StringComparison.Ordinal))
            {
                context.Response.Redirect("/workbench/" + context.Request.QueryString);
                return;
            }
            await next(context);
        });
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // Pages, strings and configuration change with every build: always revalidated (ETag).
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
    }
}
