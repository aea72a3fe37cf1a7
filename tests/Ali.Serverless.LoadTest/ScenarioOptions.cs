using System.Globalization;
using System.Net;

/// <summary>
/// The pipeline and soak scenarios (issue 11 item 3), started from Program.cs by <c>--scenario pipeline</c> or
/// <c>--scenario soak</c>. Their options:
/// <c>--url</c> (loopback only), <c>--report FILE</c> (append the results), <c>--storage CONNECTION</c> (the host's
/// Azurite; default: the AzureWebJobsStorage variable), <c>--cases N</c> (pipeline 200, soak 1,000),
/// <c>--concurrency N</c> (pipeline: preparing, 8; soak: cases in flight, 16), <c>--submit-concurrency N</c>
/// (pipeline, 4), <c>--poll-ms N</c> (pipeline's status reads, 20), <c>--idle-samples N</c> (pipeline, 20),
/// <c>--deadline-seconds N</c> (soak, 480).
/// </summary>
internal sealed record ScenarioOptions(
    Uri Url, string? Report, string Storage, int Cases, int Concurrency, int SubmitConcurrency, TimeSpan PollInterval, int IdleSamples, TimeSpan Deadline)
{
    /// <summary>Null when the arguments name another scenario: Program.cs runs those itself.</summary>
    public static Task<int>? TryStart(string[] args)
    {
        var scenario = Value(args, "--scenario");
        if (scenario is not ("pipeline" or "soak"))
        {
            return null;
        }
        var options = Parse(args, scenario);
        if (!IPAddress.TryParse(options.Url.Host, out var address) ? options.Url.Host != "localhost" : !IPAddress.IsLoopback(address))
        {
            Console.Error.WriteLine($"Refusing to load {options.Url.Host}: only loopback addresses are allowed.");
            return Task.FromResult(2);
        }
        return scenario == "pipeline" ? PipelineBenchmark.RunAsync(options) : Soak.RunAsync(options);
    }

    public HttpClient Client() =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(Concurrency, SubmitConcurrency) * 4 })
        {
            BaseAddress = Url,
            Timeout = TimeSpan.FromSeconds(60),
        };

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static ScenarioOptions Parse(string[] args, string scenario)
    {
        var soak = scenario == "soak";
        int Int(string name, int fallback, int min, int max) =>
            Math.Clamp(Value(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback, min, max);
        var storage = Value(args, "--storage") ?? Environment.GetEnvironmentVariable("AzureWebJobsStorage") ?? "UseDevelopmentStorage=true";
        return new ScenarioOptions(
            new Uri(Value(args, "--url") ?? "http://127.0.0.1:7071"),
            Value(args, "--report"),
            storage,
            Int("--cases", soak ? 1000 : 200, 1, 10_000),
            Int("--concurrency", soak ? 16 : 8, 1, 64),
            Int("--submit-concurrency", 4, 1, 64),
            TimeSpan.FromMilliseconds(Int("--poll-ms", 20, 1, 1000)),
            Int("--idle-samples", 20, 0, 200),
            TimeSpan.FromSeconds(Int("--deadline-seconds", 480, 10, 3600)));
    }

    private static string? Value(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
