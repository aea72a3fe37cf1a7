using Ali.Serverless.Limits;

namespace Ali.Serverless.Adapters.Sqlite;

/// <summary>
/// Rate-limit counters in SQLite: one row per (subject, bucket, window). Counting is one upsert that only
/// increments below the limit, so it is atomic whatever the number of writers (SQLite serialises them).
/// </summary>
public sealed class SqliteRateLimitStore(SqliteDatabase database) : IRateLimitStore
{
    public async Task<bool> TryCountAsync(string subject, string bucket, DateTimeOffset windowStart, TimeSpan window, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriterAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // Earlier windows of the same caller and bucket are over: dropping them keeps the table small.
        command.CommandText = """
            DELETE FROM rate_limits WHERE subject = $subject AND bucket = $bucket AND window_start < $start;
            INSERT INTO rate_limits (subject, bucket, window_start, count) VALUES ($subject, $bucket, $start, 1)
            ON CONFLICT (subject, bucket, window_start) DO UPDATE SET count = count + 1 WHERE count < $limit;
            SELECT changes();
            """;
        command.Parameters.AddWithValue("$subject", subject);
        command.Parameters.AddWithValue("$bucket", bucket);
        command.Parameters.AddWithValue("$start", windowStart.UtcTicks);
        command.Parameters.AddWithValue("$limit", limit);
        var changed = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        await transaction.CommitAsync(cancellationToken);
        return changed == 1 && limit > 0;
    }
}
