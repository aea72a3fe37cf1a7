using Ali.Serverless.Common;

namespace Ali.Serverless.Limits;

/// <summary>
/// One limit: at most <see cref="Limit"/> requests of one caller in each fixed window of
/// <see cref="Window"/> (windows start at whole multiples of it since the Unix epoch, so every instance
/// computes the same window without talking to the others).
/// </summary>
public sealed record RateLimitRule(string Bucket, int Limit, TimeSpan Window)
{
    public DateTimeOffset WindowStart(DateTimeOffset now)
    {
        var ticks = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch.AddTicks(ticks - ticks % Window.Ticks);
    }
}

/// <summary>
/// Shared counters of requests per caller and window, held where every instance of the app sees them
/// (Cosmos DB in Azure, SQLite locally).
/// </summary>
public interface IRateLimitStore
{
    /// <summary>
    /// Counts one request of <paramref name="subject"/> in <paramref name="bucket"/>'s window starting at
    /// <paramref name="windowStart"/>, only if fewer than <paramref name="limit"/> were counted there: true
    /// when counted, false when the limit is reached. Atomic across instances: of any number of concurrent
    /// calls, exactly as many as the limit allows succeed. Counters live at least <paramref name="window"/>.
    /// </summary>
    Task<bool> TryCountAsync(string subject, string bucket, DateTimeOffset windowStart, TimeSpan window, int limit, CancellationToken cancellationToken);
}

/// <summary>Whether a request may go on; when not, how long until the window ends.</summary>
public sealed record RateLimitDecision(bool Allowed, RateLimitRule Rule, TimeSpan RetryAfter)
{
    /// <summary>The 429 to answer: names the limit and when to come back.</summary>
    public Problem ToProblem() => new(
        ProblemKind.TooManyRequests,
        "rate-limited",
        "Too many requests.",
        $"At most {Rule.Limit} requests of this kind ('{Rule.Bucket}') are accepted from one account per {Describe(Rule.Window)}. Try again in {RetryAfterSeconds} seconds.",
        null,
        new Dictionary<string, object?>
        {
            ["limit"] = Rule.Bucket,
            ["limitValue"] = Rule.Limit,
            ["windowSeconds"] = (long)Rule.Window.TotalSeconds,
            ["retryAfterSeconds"] = RetryAfterSeconds,
        });

    /// <summary>Whole seconds, rounded up, at least one: what Retry-After carries.</summary>
    public long RetryAfterSeconds => Math.Max(1, (long)Math.Ceiling(RetryAfter.TotalSeconds));

    private static string Describe(TimeSpan window) =>
        window == TimeSpan.FromHours(1) ? "hour"
        : window == TimeSpan.FromMinutes(1) ? "minute"
        : $"{(long)window.TotalSeconds} seconds";
}

/// <summary>Per-identity rate limits over the shared store (fixed windows).</summary>
public sealed class RateLimiter(IRateLimitStore store, TimeProvider clock)
{
    public async Task<RateLimitDecision> TryAcquireAsync(string subject, RateLimitRule rule, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var start = rule.WindowStart(now);
        var counted = await store.TryCountAsync(subject, rule.Bucket, start, rule.Window, rule.Limit, cancellationToken);
        return new RateLimitDecision(counted, rule, start + rule.Window - now);
    }
}
