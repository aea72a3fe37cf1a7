using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Ali.Serverless.EndToEnd.Tests;

/// <summary>
/// Starts the local host as its own process on a free loopback port, against the test Azurite
/// (ALI_TEST_STORAGE, set by scripts/test.sh) and a fresh SQLite file, and stops it afterwards.
/// </summary>
public class LocalHostProcess : IAsyncLifetime
{
    private readonly string _environment;
    private readonly Dictionary<string, string> _settings;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public LocalHostProcess() : this("Development", []) { }

    protected LocalHostProcess(string environment, Dictionary<string, string> settings)
    {
        _environment = environment;
        _settings = settings;
    }

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Every message the host's queue triggers took, one line each (LocalHost:QueueTap).</summary>
    public string QueueTapPath { get; } = Path.Combine(Path.GetTempPath(), $"ali-e2e-queues-{Guid.NewGuid():N}.log");

    /// <summary>The host's SQLite file: tests that play an attacker with access to the store change it directly.</summary>
    public string SqlitePath { get; } = Path.Combine(Path.GetTempPath(), $"ali-e2e-{Guid.NewGuid():N}.db");

    /// <summary>The host's licence key folder: a test rotates the key by adding a newer file.</summary>
    public string LicenceKeyDirectory { get; } = Path.Combine(Path.GetTempPath(), $"ali-e2e-licence-keys-{Guid.NewGuid():N}");

    public string QueueMessages => File.Exists(QueueTapPath) ? File.ReadAllText(QueueTapPath) : "";

    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    public async Task InitializeAsync()
    {
        var port = FreePort();
        var output = RepoPaths.OutputOf("Ali.Serverless.LocalHost");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(output, "Ali.Serverless.LocalHost.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = output,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = _environment;
        start.Environment["AzureWebJobsStorage"] = Environment.GetEnvironmentVariable("ALI_TEST_STORAGE") ?? "UseDevelopmentStorage=true";
        start.Environment["Store__SqlitePath"] = SqlitePath;
        start.Environment["Licences__LocalKeyDirectory"] = LicenceKeyDirectory;
        start.Environment["LocalHost__QueueTap"] = QueueTapPath;
        if (Environment.GetEnvironmentVariable("ALI_TEST_SMS") is { Length: > 0 } sms)
        {
            start.Environment["Sms__Endpoint"] = sms;
        }
        // Tests run at any hour: no quiet hours (equal start and end), and a short first retry.
        start.Environment["Notifications__QuietHoursStart"] = "8";
        start.Environment["Notifications__QuietHoursEnd"] = "8";
        start.Environment["Notifications__SmsRetryBaseSeconds"] = "1";
        // Suites such as the bad-input table send hundreds of requests as one subject; the limits
        // themselves are tested on LimitedLocalHostProcess, whose settings below override these.
        foreach (var limit in new[] { "OpenApplication", "DeclareMaterial", "SmsActions", "StaffSmsActions" })
        {
            start.Environment[$"RateLimits__{limit}"] = "100000";
        }
        foreach (var (name, value) in _settings)
        {
            start.Environment[name] = value;
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("The local host did not start.");
        _process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The local host exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                if ((await Http.GetAsync("/api/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The local host did not answer /api/health within 60 s:\n{Output}");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        Http?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A client carrying a development token for the given role and subject (and, for 一号, a verified identity number).</summary>
    public async Task<HttpClient> ClientAsAsync(string role, string subject, string? department = null, string? identityNumber = null)
    {
        var response = await Http.PostAsJsonAsync("/api/dev/token", new { role, subject, department, identityNumber });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        var client = new HttpClient { BaseAddress = Http.BaseAddress, Timeout = Http.Timeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The same host with the Production environment: no development key, tokens from OIDC metadata.</summary>
public sealed class ProductionLocalHostProcess() : LocalHostProcess("Production", new()
{
    // Never contacted by these tests: metadata is fetched only when a token has to be validated.
    ["Auth__MetadataAddress"] = "http://127.0.0.1:9/.well-known/openid-configuration",
    ["Auth__Issuer"] = "https://login.example.test/",
    ["Auth__Audience"] = "api://ali-serverless",
    // It shares the test Azurite with the development host: its queue triggers would take that host's
    // messages for applications its own database does not have.
    ["LocalHost__Triggers"] = "false",
    // In Azure a Key Vault reference; outside Development the app refuses to start without it.
    ["Notifications__PhoneKey"] = "production-test-phone-key",
    // In Azure the Key Vault; outside Development the app refuses to start without one or the other.
    ["PersonalData__KeyDirectory"] = Path.Combine(Path.GetTempPath(), $"ali-e2e-keys-{Guid.NewGuid():N}"),
});

[CollectionDefinition(Name)]
public sealed class LocalHostCollection : ICollectionFixture<LocalHostProcess>
{
    public const string Name = "local host";
}

/// <summary>
/// The development host with low limits, so tests reach them in a few requests. Its triggers are off: it
/// shares the test Azurite with the main test host, whose queue messages it must not take.
/// </summary>
public sealed class LimitedLocalHostProcess() : LocalHostProcess("Development", new()
{
    ["LocalHost__Triggers"] = "false",
    ["RateLimits__OpenApplication"] = "3",
    ["RateLimits__SmsActions"] = "2",
    ["Limits__MaxDeclarationsPerApplication"] = "2",
});

/// <summary>
/// A development host of its own, started for the start-up tests: nothing but its start has touched its database.
/// Triggers off (it shares the test Azurite), so no timer computes anything behind the tests' back.
/// </summary>
public sealed class FreshLocalHostProcess() : LocalHostProcess("Development", new()
{
    ["LocalHost__Triggers"] = "false",
});
