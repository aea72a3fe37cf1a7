using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

/// <summary>
/// Issue 11 item 3, first half: how long after a submit's 2xx the applicant sees <c>pending-acceptance</c>,
/// over a fixed number of ready applications submitted at a modest fixed concurrency, and, in the same run,
/// the floor it cannot beat: one message through the same Azurite queue service, received by a tight loop
/// and by a poller with the local queue runner's settings.
/// </summary>
internal static class PipelineBenchmark
{
    /// <summary>就业创业证申领: one required material, a natural person, the item's own department only.</summary>
    private const string Item = "542500-RSJ-20002";

    public static async Task<int> RunAsync(ScenarioOptions options)
    {
        using var http = options.Client();
        var api = new LifecycleApi(http);
        var applicant = await LifecycleApi.TokenAsync(http, "applicant", $"pipeline-{Guid.NewGuid():N}");
        var loadAtStart = ScenarioOptions.LoadAverage();
        Console.WriteLine($"pipeline: preparing {options.Cases} ready applications of {Item} ({options.Concurrency} at a time)...");

        var prepared = new List<string>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < options.Cases)
            {
                if (await api.PrepareAsync(applicant, LifecycleApi.NaturalPerson(Item), ["M01"], default) is { } id)
                {
                    lock (prepared) { prepared.Add(id); }
                }
            }
        }));
        if (prepared.Count < options.Cases)
        {
            Console.Error.WriteLine($"pipeline: only {prepared.Count} of {options.Cases} applications could be prepared; last error: {api.LastError}");
            return 1;
        }

        // Submit at a fixed modest concurrency; each case is timed from its submit's 2xx to the first read showing pending-acceptance.
        var poll = options.PollInterval;
        var latencies = new List<double>();
        var reads = new List<double>();
        var failures = 0;
        next = -1;
        await Task.WhenAll(Enumerable.Range(0, options.SubmitConcurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < prepared.Count)
            {
                var id = prepared[next];
                var (submitted, _) = await api.SendAsync(HttpMethod.Post, $"/api/applications/{id}/submit", applicant);
                var accepted = Stopwatch.GetTimestamp();
                if (submitted != HttpStatusCode.Accepted)
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }
                var seen = false;
                while (Stopwatch.GetElapsedTime(accepted) < TimeSpan.FromSeconds(30))
                {
                    var read = Stopwatch.GetTimestamp();
                    var (status, body) = await api.SendAsync(HttpMethod.Get, $"/api/applications/{id}", applicant);
                    lock (reads) { reads.Add(Stopwatch.GetElapsedTime(read).TotalMilliseconds); }
                    if (status == HttpStatusCode.OK && body.GetProperty("status").GetString() == "pending-acceptance")
                    {
                        lock (latencies) { latencies.Add(Stopwatch.GetElapsedTime(accepted).TotalMilliseconds); }
                        seen = true;
                        break;
                    }
                    await Task.Delay(poll);
                }
                if (!seen)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));

        // The tail, to read beside p99: a few slow cases or many.
        Console.WriteLine("pipeline: the 10 slowest cases, ms: " + string.Join(", ", latencies.OrderDescending().Take(10).Select(l => $"{l:F0}")));
        var settings = RunnerPolling.FromHostJson();
        var queues = new QueueServiceClient(options.Storage);
        var loop = await QueueFloor.MeasureAsync(queues, options.Cases, QueueFloor.Receiver.TightLoop, settings, TimeSpan.Zero);
        var woken = await QueueFloor.MeasureAsync(queues, options.Cases, QueueFloor.Receiver.RunnerWoken, settings, TimeSpan.Zero);
        var idle = await QueueFloor.MeasureAsync(queues, options.IdleSamples, QueueFloor.Receiver.RunnerNotWoken, settings, settings.MaxPollingInterval * 1.5);

        var rows = new List<(string What, Stats Stats)>
        {
            ($"submit 2xx → `pending-acceptance` read by the applicant (polled every {poll.TotalMilliseconds:F0} ms)", Stats.Of(latencies)),
            ("  of which one `GET /api/applications/{id}` (the poll's own cost)", Stats.Of(reads)),
            ("floor: Azurite queue send → receive, tight receive loop", loop),
            ("floor: the same, the local runner's polling woken by the send (the host's own sends)", woken),
            ($"the same, the runner's polling not woken (another process's send, after 0–{settings.MaxPollingInterval.TotalSeconds * 1.5:F0} s idle)", idle),
        };
        var table = new List<string>
        {
            "",
            $"### {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, pipeline: submit → pending-acceptance",
            "",
            $"{prepared.Count} applications of {Item} prepared first, submitted {options.SubmitConcurrency} at a time; load average {loadAtStart} at the start; "
                + $"runner settings: batch {settings.BatchSize}, maxPollingInterval {settings.MaxPollingInterval.TotalMilliseconds:F0} ms. "
                + $"Failures (no 202, or not seen within 30 s): {failures}; 5xx: {api.ServerErrors}; other errors: {api.OtherErrors}.",
            "",
            "| measure | samples | p50 ms | p99 ms | max ms |",
            "| --- | ---: | ---: | ---: | ---: |",
        };
        table.AddRange(rows.Select(r => $"| {r.What} | {r.Stats.Count} | {r.Stats.P50:F1} | {r.Stats.P99:F1} | {r.Stats.Max:F1} |"));
        var text = string.Join("\n", table) + "\n";
        Console.Write(text);
        if (options.Report is { } report)
        {
            File.AppendAllText(report, text);
            Console.WriteLine($"Appended the pipeline table to {report}");
        }
        return failures == 0 && api.ServerErrors == 0 && api.OtherErrors == 0 ? 0 : 1;
    }
}

internal sealed record Stats(int Count, double P50, double P99, double Max)
{
    public static Stats Of(IEnumerable<double> samples)
    {
        var all = samples.Order().ToList();
        double P(double q) => all.Count == 0 ? 0 : all[Math.Min(all.Count - 1, (int)(q * all.Count))];
        return new Stats(all.Count, P(0.50), P(0.99), all.LastOrDefault());
    }
}

/// <summary>The local queue runner's polling settings, read from the same host.json it reads.</summary>
internal sealed record RunnerPolling(int BatchSize, TimeSpan MaxPollingInterval, TimeSpan VisibilityTimeout)
{
    public static RunnerPolling FromHostJson()
    {
        var directory = new DirectoryInfo(Directory.GetCurrentDirectory());
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "host.json")))
        {
            directory = directory.Parent;
        }
        var queues = directory is null ? null : JsonNode.Parse(File.ReadAllText(Path.Combine(directory.FullName, "host.json")))?["extensions"]?["queues"];
        return new RunnerPolling(
            queues?["batchSize"]?.GetValue<int>() ?? 16,
            TimeSpan.Parse(queues?["maxPollingInterval"]?.GetValue<string>() ?? "00:00:02", System.Globalization.CultureInfo.InvariantCulture),
            TimeSpan.Parse(queues?["visibilityTimeout"]?.GetValue<string>() ?? "00:00:30", System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// One message at a time through a scratch queue on the same Azurite: the time from starting the send to
/// holding the received message. No function, no store: what any queue hop costs at least.
/// </summary>
internal static class QueueFloor
{
    public enum Receiver { TightLoop, RunnerWoken, RunnerNotWoken }

    public static async Task<Stats> MeasureAsync(QueueServiceClient queues, int count, Receiver receiver, RunnerPolling settings, TimeSpan maxIdleBefore)
    {
        var queue = queues.GetQueueClient($"bench-floor-{Guid.NewGuid():N}"[..24]);
        await queue.CreateIfNotExistsAsync();
        try
        {
            using var stop = new CancellationTokenSource();
            using var wake = new SemaphoreSlim(0, 1);
            var received = new SemaphoreSlim(0);
            var receivedAt = 0L;
            var poller = Task.Run(async () =>
            {
                var delay = TimeSpan.FromMilliseconds(100);
                while (!stop.IsCancellationRequested)
                {
                    QueueMessage[] messages;
                    try
                    {
                        messages = (await queue.ReceiveMessagesAsync(receiver == Receiver.TightLoop ? 1 : settings.BatchSize, settings.VisibilityTimeout, stop.Token)).Value;
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    foreach (var message in messages)
                    {
                        Volatile.Write(ref receivedAt, Stopwatch.GetTimestamp());
                        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                        received.Release();
                    }
                    if (receiver == Receiver.TightLoop || messages.Length > 0)
                    {
                        delay = TimeSpan.FromMilliseconds(100);
                        continue;
                    }
                    // The runner's back-off: doubling from 100 ms to maxPollingInterval, cut short by a wake-up.
                    try
                    {
                        await wake.WaitAsync(delay, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxPollingInterval.Ticks));
                }
            });
            var samples = new List<double>(count);
            for (var i = 0; i < count; i++)
            {
                if (maxIdleBefore > TimeSpan.Zero)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * maxIdleBefore.TotalMilliseconds));
                }
                var sent = Stopwatch.GetTimestamp();
                await queue.SendMessageAsync($"floor-{i}");
                if (receiver == Receiver.RunnerWoken && wake.CurrentCount == 0)
                {
                    try { wake.Release(); } catch (SemaphoreFullException) { }
                }
                if (!await received.WaitAsync(TimeSpan.FromSeconds(30)))
                {
                    throw new TimeoutException($"A message sent to {queue.Name} was not received within 30 s.");
                }
                samples.Add(Stopwatch.GetElapsedTime(sent, Volatile.Read(ref receivedAt)).TotalMilliseconds);
            }
            await stop.CancelAsync();
            await poller;
            return Stats.Of(samples);
        }
        finally
        {
            await queue.DeleteIfExistsAsync();
        }
    }
}
