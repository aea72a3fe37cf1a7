using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

// Usage: dotnet run -c Release --project tests/Ali.Serverless.LoadTest -- [--url http://127.0.0.1:7071]
//        [--seconds 20] [--concurrency 8] [--scenario health|catalog-all|catalog|item|open|read]
//        [--report docs/performance.md] [--started-ms N]
// Bounded in time and in count, and only ever aimed at this machine. With --report (scripts/benchmark.sh)
// every scenario runs in one go and the table, with each route's ratio to the empty endpoint, is appended
// to that file with the machine, the date and the load average at the start.
if (ScenarioOptions.TryStart(args) is { } lifecycleScenario) { return await lifecycleScenario; } // pipeline, soak: see ScenarioOptions.cs
var options = Options.Parse(args);
if (!IPAddress.TryParse(options.Url.Host, out var address) ? options.Url.Host != "localhost" : !IPAddress.IsLoopback(address))
{
    Console.Error.WriteLine($"Refusing to load {options.Url.Host}: only loopback addresses are allowed.");
    return 2;
}

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency }) { BaseAddress = options.Url };
var token = await TokenAsync(http);
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
var seededId = await OpenAsync(http);

var loadAtStart = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
var scenarios = new Dictionary<string, Func<Task<HttpResponseMessage>>>
{
    ["health"] = () => http.GetAsync("/api/health"),
    ["catalog-all"] = () => http.GetAsync("/api/catalog/items"),
    ["catalog"] = () => http.GetAsync("/api/catalog/items?department=542500-RSJ"),
    ["item"] = () => http.GetAsync("/api/catalog/items/542500-RSJ-20001?lang=bo"),
    ["read"] = () => http.GetAsync($"/api/applications/{seededId}"),
    ["open"] = () => http.PostAsJsonAsync("/api/applications", Application),
};
var scenarioRoutes = new Dictionary<string, string>
{
    ["health"] = "GET /api/health",
    ["catalog-all"] = "GET /api/catalog/items",
    ["catalog"] = "GET /api/catalog/items?department=542500-RSJ",
    ["item"] = "GET /api/catalog/items/542500-RSJ-20001?lang=bo",
    ["read"] = "GET /api/applications/{id}",
    ["open"] = "POST /api/applications",
};
var selected = options.Scenario is null ? scenarios.Keys.ToList() : [options.Scenario];
Console.WriteLine($"target {options.Url}, {options.Concurrency} concurrent clients, {options.Seconds} s per scenario, at most {Options.MaxRequests} requests each");
Console.WriteLine($"{"scenario",-11} {"requests",9} {"errors",7} {"req/s",8} {"p50 ms",7} {"p95 ms",7} {"p99 ms",7} {"max ms",7}");
var results = new List<Result>();
foreach (var name in selected)
{
    results.Add(await RunAsync(name, scenarios[name], options));
}
if (options.Report is { } report)
{
    File.AppendAllText(report, Report(results, options, loadAtStart, scenarioRoutes));
    Console.WriteLine($"Appended the table to {report}");
}
return results.Any(r => r.Errors > 0) ? 1 : 0;

static string Report(List<Result> results, Options options, string loadAtStart, IReadOnlyDictionary<string, string> routes)
{
    var health = results.FirstOrDefault(r => r.Name == "health")?.PerSecond;
    var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
    var lines = new List<string>
    {
        "",
        $"## {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, scripts/benchmark.sh: {Environment.ProcessorCount} cores, {memory:F0} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
        "",
        $"Release build of the local host over SQLite and Azurite, {options.Concurrency} clients, {options.Seconds} s per route, one run; load average {loadAtStart} at the start"
            + (options.StartedMs is { } started ? $"; the host answered its first request {started} ms after its process started." : "."),
        "",
        "| route | requests | errors | req/s | p50 ms | p99 ms | of `/api/health` |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    };
    foreach (var r in results)
    {
        var ratio = health is > 0 ? $"{r.PerSecond / health.Value:P0}" : "";
        lines.Add($"| `{routes[r.Name]}` | {r.Requests:N0} | {r.Errors} | {r.PerSecond:N0} | {r.P50:F1} | {r.P99:F1} | {ratio} |");
    }
    return string.Join("\n", lines) + "\n";
}

static async Task<Result> RunAsync(string name, Func<Task<HttpResponseMessage>> call, Options options)
{
    for (var i = 0; i < 20; i++)
    {
        (await call()).Dispose(); // warm-up: JIT, connections, SQLite pages
    }
    var latencies = new List<double>[options.Concurrency];
    var errors = 0;
    var issued = 0;
    var stop = Stopwatch.StartNew();
    var deadline = TimeSpan.FromSeconds(options.Seconds);
    await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async worker =>
    {
        var mine = latencies[worker] = [];
        while (stop.Elapsed < deadline && Interlocked.Increment(ref issued) <= Options.MaxRequests)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await call();
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if ((int)response.StatusCode >= 400)
            {
                Interlocked.Increment(ref errors);
            }
        }
    }));
    var elapsed = stop.Elapsed.TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToList();
    double P(double q) => all.Count == 0 ? 0 : all[Math.Min(all.Count - 1, (int)(q * all.Count))];
    Console.WriteLine($"{name,-11} {all.Count,9} {errors,7} {all.Count / elapsed,8:F0} {P(0.50),7:F1} {P(0.95),7:F1} {P(0.99),7:F1} {all.LastOrDefault(),7:F1}");
    return new Result(name, all.Count, errors, all.Count / elapsed, P(0.50), P(0.99));
}

static async Task<string> TokenAsync(HttpClient http)
{
    var response = await http.PostAsJsonAsync("/api/dev/token", new { role = "applicant", subject = $"load-{Guid.NewGuid():N}" });
    response.EnsureSuccessStatusCode();
    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
}

static async Task<string> OpenAsync(HttpClient http)
{
    var response = await http.PostAsJsonAsync("/api/applications", Application);
    response.EnsureSuccessStatusCode();
    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
}

internal sealed record Result(string Name, int Requests, int Errors, double PerSecond, double P50, double P99);

internal sealed record Options(Uri Url, int Seconds, int Concurrency, string? Scenario, string? Report, int? StartedMs)
{
    public const int MaxRequests = 200_000;

    public static Options Parse(string[] args)
    {
        string? Value(string name)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }
        return new Options(
            new Uri(Value("--url") ?? "http://127.0.0.1:7071"),
            Math.Clamp(int.Parse(Value("--seconds") ?? "20", System.Globalization.CultureInfo.InvariantCulture), 1, 120),
            Math.Clamp(int.Parse(Value("--concurrency") ?? "8", System.Globalization.CultureInfo.InvariantCulture), 1, 64),
            Value("--scenario"),
            Value("--report"),
            Value("--started-ms") is { } started ? int.Parse(started, System.Globalization.CultureInfo.InvariantCulture) : null);
    }
}

internal static partial class Program
{
    private static readonly object Application = new
    {
        itemCode = "542500-RSJ-20001",
        channel = "web",
        applicant = new { kind = "natural-person", documentNumber = "11010519491231002X", name = "次仁卓玛" },
    };
}
