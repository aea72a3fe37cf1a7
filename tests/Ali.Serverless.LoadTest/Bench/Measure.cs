using System.Diagnostics;

namespace Ali.Serverless.LoadTest.Bench;

/// <summary>One thing to measure: a route over HTTP or a floor in process. <see cref="Call"/> gets the worker's number and
/// answers whether the call succeeded; it returns false (not an exception) when it failed.</summary>
internal sealed record Scenario(string Name, string Route, Func<int, CancellationToken, Task<bool>> Call)
{
    /// <summary>Calls a pool-backed scenario can make at most (warm-up and timed loop together); null when unbounded.</summary>
    public int? Capacity { get; init; }

    /// <summary>For a write route: the name of the floor scenario it is compared with.</summary>
    public string? Floor { get; init; }

    /// <summary>True for floors (in process), which the report lists beside their route, not as routes.</summary>
    public bool IsFloor { get; init; }
}

internal sealed record Result(string Name, string Route, int Requests, int Errors, double PerSecond, double P50, double P95, double P99, double Max);

/// <summary>
/// The timed loop: <c>concurrency</c> workers call the scenario back to back until the time is up, the request
/// cap is reached or a pool-backed scenario runs out. Errors count (and fail the run); latencies are per call.
/// A scenario's time is taken in slices, in rounds over all scenarios (see Program.cs), so a burst of load from
/// elsewhere on the machine falls on every scenario alike instead of on whichever ran at that moment.
/// </summary>
internal static class Measure
{
    public const int MaxRequests = 200_000;

    /// <summary>Warm-up: the JIT, connections, the thread pool and SQLite's pages, for every scenario before any is measured.</summary>
    public static async Task WarmUpAsync(Scenario scenario, int concurrency, TimeSpan time, int maxCalls)
    {
        var issued = 0;
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            try
            {
                while (stop.Elapsed < time && Interlocked.Increment(ref issued) <= maxCalls)
                {
                    await scenario.Call(worker, CancellationToken.None);
                }
            }
            catch (PoolEmptyException)
            {
                // This worker's share of the pool is used up; the others go on.
            }
        }));
    }

    /// <summary>One slice of a scenario's timed loop: its latencies, errors and elapsed time.</summary>
    public sealed record Slice(List<double> Latencies, int Errors, double Seconds);

    public static async Task<Slice> RunSliceAsync(Scenario scenario, int concurrency, TimeSpan time, int? maxCalls = null)
    {
        var latencies = new List<double>[concurrency];
        var errors = 0;
        var issued = 0;
        var cap = Math.Min(MaxRequests, maxCalls ?? MaxRequests);
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = [];
            while (stop.Elapsed < time && Interlocked.Increment(ref issued) <= cap)
            {
                var started = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await scenario.Call(worker, CancellationToken.None);
                }
                catch (PoolEmptyException)
                {
                    break;
                }
                catch (Exception e)
                {
                    Console.Error.WriteLine($"{scenario.Name}: {e.GetType().Name}: {e.Message}");
                    ok = false;
                }
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        return new Slice(latencies.SelectMany(l => l).ToList(), errors, stop.Elapsed.TotalSeconds);
    }

    /// <summary>The slices of one scenario taken together: throughput over their summed time, percentiles over all calls.</summary>
    public static Result Combine(Scenario scenario, IReadOnlyList<Slice> slices)
    {
        var all = slices.SelectMany(s => s.Latencies).Order().ToList();
        var seconds = slices.Sum(s => s.Seconds);
        double P(double q) => all.Count == 0 ? 0 : all[Math.Min(all.Count - 1, (int)(q * all.Count))];
        var result = new Result(scenario.Name, scenario.Route, all.Count, slices.Sum(s => s.Errors), seconds > 0 ? all.Count / seconds : 0, P(0.50), P(0.95), P(0.99), all.LastOrDefault());
        Console.WriteLine($"{result.Name,-22} {result.Requests,9} {result.Errors,7} {result.PerSecond,8:F0} {result.P50,7:F1} {result.P95,7:F1} {result.P99,7:F1} {result.Max,8:F1}");
        return result;
    }

    public static void PrintHeader() =>
        Console.WriteLine($"{"scenario",-22} {"requests",9} {"errors",7} {"req/s",8} {"p50 ms",7} {"p95 ms",7} {"p99 ms",7} {"max ms",8}");
}

/// <summary>A pool-backed scenario has nothing left to work on: the worker stops (not an error).</summary>
internal sealed class PoolEmptyException : Exception;

/// <summary>Prepared work items, one queue per worker so each worker stays in its own partition and audit chain.</summary>
internal sealed class Pool<T>(int workers)
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<T>[] _queues =
        Enumerable.Range(0, workers).Select(_ => new System.Collections.Concurrent.ConcurrentQueue<T>()).ToArray();

    public void Add(int worker, T item) => _queues[worker % _queues.Length].Enqueue(item);

    public T Take(int worker) => _queues[worker % _queues.Length].TryDequeue(out var item) ? item : throw new PoolEmptyException();

    public int Count => _queues.Sum(q => q.Count);
}
