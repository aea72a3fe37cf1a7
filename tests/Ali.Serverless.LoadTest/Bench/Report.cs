namespace Ali.Serverless.LoadTest.Bench;

/// <summary>The tables the benchmark prints and appends to docs/performance.md: reads beside /api/health, writes beside their floors.</summary>
internal static class Report
{
    public static string Tables(List<Result> results, List<Scenario> scenarios, Options options, string loadAtStart)
    {
        var byName = results.ToDictionary(r => r.Name);
        var health = byName.GetValueOrDefault("health")?.PerSecond;
        string Share(double value, double? of) => of is > 0 ? $"{value / of.Value:P0}" : "";
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        var lines = new List<string>
        {
            "",
            $"## {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, scripts/benchmark.sh: {Environment.ProcessorCount} cores, {memory:F0} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
            "",
            $"Release build of the local host over SQLite and Azurite, {options.Concurrency} clients, {options.Seconds} s per scenario in {options.Rounds} rounds (the read routes' rounds first, then the write routes'), a pause of {Options.PauseBetweenSlices.TotalMilliseconds} ms after each slice, after a {Options.WarmUpSeconds} s warm-up of every scenario, one run; load average {loadAtStart} at the start"
                + (options.StartedMs is { } started ? $"; the host answered its first request {started} ms after its process started." : "."),
        };
        var reads = scenarios.Where(s => s.Floor is null && !s.IsFloor && byName.ContainsKey(s.Name)).ToList();
        if (reads.Count > 0)
        {
            lines.AddRange(["", "| route | requests | errors | req/s | p50 ms | p99 ms | of `/api/health` |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]);
            foreach (var r in reads.Select(s => byName[s.Name]))
            {
                lines.Add($"| `{r.Route}` | {r.Requests:N0} | {r.Errors} | {r.PerSecond:N0} | {r.P50:F1} | {r.P99:F1} | {Share(r.PerSecond, health)} |");
            }
        }
        var writes = scenarios.Where(s => s.Floor is not null && byName.ContainsKey(s.Name)).ToList();
        if (writes.Count > 0)
        {
            lines.AddRange(["", "| write route | requests | errors | req/s | p50 ms | p99 ms | of `/api/health` | its floor: req/s | p50 ms | p99 ms | of its floor |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]);
            foreach (var s in writes)
            {
                var r = byName[s.Name];
                var f = byName.GetValueOrDefault(s.Floor!);
                lines.Add($"| `{r.Route}` | {r.Requests:N0} | {r.Errors} | {r.PerSecond:N0} | {r.P50:F1} | {r.P99:F1} | {Share(r.PerSecond, health)} | "
                    + (f is null ? "| | | |" : $"{f.PerSecond:N0} | {f.P50:F1} | {f.P99:F1} | {Share(r.PerSecond, f.PerSecond)} |"));
            }
        }
        return string.Join("\n", lines) + "\n";
    }
}
