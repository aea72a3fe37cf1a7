using System.Net;
using Ali.Serverless.LoadTest.Bench;

// Usage: dotnet run -c Release --project tests/Ali.Serverless.LoadTest -- [--url http://127.0.0.1:7071]
//        [--seconds 5] [--rounds 3] [--concurrency 16] [--part reads|writes|all] [--scenario name,name…] [--pool 600]
//        [--report docs/performance.md] [--started-ms N]
// Bounded in time and in count, and only ever aimed at this machine. Every scenario is warmed up before any is
// measured; then /api/health and every read route, and after them the write routes beside their floors, run one after
// the other, in --rounds rounds that each give every scenario its share of --seconds.
// The write routes' floors run in this process over the host's adapters and need the host's environment
// (scripts/benchmark.sh exports it). With --report the tables are appended to that file.
if (ScenarioOptions.TryStart(args) is { } lifecycleScenario) { return await lifecycleScenario; } // pipeline, soak: see ScenarioOptions.cs
var options = Options.Parse(args);
if (!IPAddress.TryParse(options.Url.Host, out var address) ? options.Url.Host != "localhost" : !IPAddress.IsLoopback(address))
{
    Console.Error.WriteLine($"Refusing to load {options.Url.Host}: only loopback addresses are allowed.");
    return 2;
}

// The floors call SQLite, whose async methods run synchronously on the calling thread: with the thread pool's default
// minimum (one thread per core) sixteen floor workers would wait for threads, not for the store, and the floor would
// be slower than the store is. The load generator's own HTTP side gets the same threads.
ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
ThreadPool.SetMinThreads(Math.Max(minWorkers, 2 * options.Concurrency + 8), Math.Max(minIo, 2 * options.Concurrency + 8));

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency * 2 }) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(60) };
var api = new BenchHttp(http);
var loadAtStart = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

var scenarios = new List<Scenario>();
Floors? floors = options.Part is "all" or "writes" ? await Floors.FromEnvironmentAsync() : null;
if (options.Part is "all" or "reads")
{
    scenarios.AddRange(await ReadRoutes.PrepareAsync(api, options.Concurrency));
}
if (options.Part is "all" or "writes")
{
    scenarios.AddRange(await WriteRoutes.PrepareAsync(api, floors!, options.Concurrency, options.Pool));
}
if (options.Scenarios is { } only)
{
    scenarios = scenarios.Where(s => only.Contains(s.Name) || s.Name == "health").ToList();
}

Console.WriteLine($"target {options.Url}, {options.Concurrency} concurrent clients, {options.Seconds} s per scenario after a warm-up of each, at most {Measure.MaxRequests} requests each");
var warmUp = TimeSpan.FromSeconds(Options.WarmUpSeconds);
// The write routes (and their floors) are warmed up first and timed last: a submit leaves queue work behind it (the
// pre-check, notifications) that would otherwise run during the next read scenario's slice, /api/health's above all,
// and move every read route's ratio from one run to the next.
var writePhase = scenarios.Where(s => s.IsFloor || s.Floor is not null).ToList();
var readPhase = scenarios.Except(writePhase).ToList();
foreach (var scenario in writePhase.Concat(readPhase))
{
    // A pool-backed scenario warms up on a few of its items only, keeping the rest for the timed loop.
    await Measure.WarmUpAsync(scenario, options.Concurrency, warmUp, scenario.Capacity is { } capacity ? Math.Min(capacity / 4, 2 * options.Concurrency) : 5_000);
}
// Rounds: each round gives every scenario its share of the time, in the same order, so ratios between scenarios
// are not skewed by when a burst of other work hit the machine. A pool-backed scenario gets its share of the pool.
var slices = scenarios.ToDictionary(s => s.Name, _ => new List<Measure.Slice>());
foreach (var phase in new[] { readPhase, writePhase }.Where(p => p.Count > 0))
{
    for (var round = 0; round < options.Rounds; round++)
    {
        Console.WriteLine($"round {round + 1} of {options.Rounds}{(phase == writePhase ? " (write routes)" : "")}");
        foreach (var scenario in phase)
        {
            slices[scenario.Name].Add(await Measure.RunSliceAsync(scenario, options.Concurrency, TimeSpan.FromSeconds((double)options.Seconds / options.Rounds),
                scenario.Capacity is { } capacity ? capacity / options.Rounds : null));
            // Lets what a slice leaves behind (audit records of staff reads, written behind the answer within 50 ms,
            // decision 29) be done before the next slice is timed, so it is not counted against the next route.
            await Task.Delay(Options.PauseBetweenSlices);
        }
    }
}
Measure.PrintHeader();
var results = scenarios.Select(s => Measure.Combine(s, slices[s.Name])).ToList();
var report = Report.Tables(results, scenarios, options, loadAtStart);
if (floors is not null)
{
    // Last, so it disturbs nothing timed above: the store calls one at a time, on an application the route opened.
    var probeToken = await api.TokenAsync("applicant", "bench-probe");
    report += await Probe.RunAsync(floors, "bench-probe", await api.OpenAsync(probeToken));
}
Console.WriteLine(report);
if (options.Report is { } file)
{
    File.AppendAllText(file, report);
    Console.WriteLine($"Appended the tables to {file}");
}
return results.Any(r => r.Errors > 0) ? 1 : 0;

internal sealed record Options(Uri Url, int Seconds, int Concurrency, string Part, IReadOnlySet<string>? Scenarios, int Pool, string? Report, int? StartedMs, int Rounds)
{
    public const int WarmUpSeconds = 2;

    /// <summary>The pause after each timed slice (see the rounds in Program.cs).</summary>
    public static readonly TimeSpan PauseBetweenSlices = TimeSpan.FromMilliseconds(250);

    public static Options Parse(string[] args)
    {
        string? Value(string name)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }
        int Number(string name, int fallback, int min, int max) =>
            Math.Clamp(int.Parse(Value(name) ?? fallback.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture), min, max);
        var part = Value("--part") ?? "all";
        if (part is not ("all" or "reads" or "writes"))
        {
            throw new ArgumentException("--part is all, reads or writes.");
        }
        return new Options(
            new Uri(Value("--url") ?? "http://127.0.0.1:7071"),
            Number("--seconds", 5, 1, 120),
            Number("--concurrency", 16, 1, 64),
            part,
            Value("--scenario")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(),
            Number("--pool", 600, 50, 20_000),
            Value("--report"),
            Value("--started-ms") is { } started ? int.Parse(started, System.Globalization.CultureInfo.InvariantCulture) : null,
            Number("--rounds", 3, 1, 10));
    }
}
