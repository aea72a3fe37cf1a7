using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Ali.Serverless.EndToEnd.Tests;

namespace Ali.Serverless.Web.Tests;

/// <summary>
/// The local host serving the built front ends, on an Azurite of its own: the end-to-end tests' host runs
/// its queue triggers on the shared test Azurite, and two hosts on one queue would take each other's
/// messages. Started once for all browser tests.
/// </summary>
public sealed class WebHost : IAsyncLifetime
{
    private readonly string _azuriteData = Path.Combine(Path.GetTempPath(), $"ali-web-azurite-{Guid.NewGuid():N}");
    private readonly int _blobPort = FreePort();
    private readonly int _queuePort = FreePort();
    private readonly int _tablePort = FreePort();
    private Process? _azurite;

    public WebHost()
    {
        Host = new WebLocalHostProcess(
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            // The well-known Azurite development key: public by design, not a secret.
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{_blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{_queuePort}/devstoreaccount1;");
    }

    public LocalHostProcess Host { get; }

    public string BaseUrl => Host.Http.BaseAddress!.ToString().TrimEnd('/');

    public static string WebRoot => Path.Combine(RepoPaths.Root, "web");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(WebRoot, "dist", "index.html")))
        {
            throw new InvalidOperationException("web/dist is not built: run scripts/build-web.sh (scripts/test.sh does).");
        }
        var azurite = Path.Combine(RepoPaths.Root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException("Azurite is not installed: run npm ci at the repository root (scripts/test.sh does).");
        }
        Directory.CreateDirectory(_azuriteData);
        _azurite = Process.Start(new ProcessStartInfo(azurite,
        [
            "--silent", "--skipApiVersionCheck", "--location", _azuriteData,
            "--blobHost", "127.0.0.1", "--blobPort", $"{_blobPort}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{_queuePort}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{_tablePort}",
        ])
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        _azurite.BeginOutputReadLine();
        _azurite.BeginErrorReadLine();
        await WaitForPortAsync(_blobPort);
        await WaitForPortAsync(_queuePort);
        await Host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_azurite is { HasExited: false })
        {
            _azurite.Kill(entireProcessTree: true);
            _azurite.WaitForExit(10_000);
        }
        _azurite?.Dispose();
        try
        {
            Directory.Delete(_azuriteData, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 150; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200);
            }
        }
        throw new TimeoutException($"Azurite did not listen on {port}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class WebLocalHostProcess(string storage) : LocalHostProcess("Development", new()
    {
        ["AzureWebJobsStorage"] = storage,
    });
}

[CollectionDefinition(Name)]
public sealed class WebHostCollection : ICollectionFixture<WebHost>
{
    public const string Name = "web host";
}
