using System.Collections.Concurrent;
using System.Text.Json;
using Ali.Serverless.Audit;
using Ali.Serverless.Common;
using Microsoft.Data.Sqlite;

namespace Ali.Serverless.Adapters.Sqlite;

/// <summary>
/// Audit records keyed by (chain, sequence). Insert only: this class has no UPDATE or DELETE, and the
/// primary key makes a second writer of one sequence fail instead of forking the chain. Appends arriving together
/// share one transaction (<see cref="TryCreateAsync"/>), since each transaction costs SQLite's one writer a turn.
/// </summary>
public sealed class SqliteAuditStore(SqliteDatabase database) : IAuditStore
{
    /// <summary>The most records one transaction of the group commit writes, so one turn of the writer stays short.</summary>
    internal const int MaxBatch = 64;

    // OR IGNORE: a taken (chain, sequence) or (chain, record id) inserts nothing and reports no change, which is the
    // "false" of TryCreateAsync, without a savepoint per record. Every column is NOT NULL and always set, so no
    // other constraint can be ignored by it.
    private const string Insert = "INSERT OR IGNORE INTO audit (chain, sequence, record_id, document) VALUES ($chain, $sequence, $id, $document)";

    private readonly ConcurrentQueue<PendingRecord> _queue = new();
    // 1 while a drain task writes the queue; the callers themselves only enqueue and wait for their own record.
    private int _draining;
    private long _batches;

    public Task<AuditRecord?> GetLastAsync(string chain, CancellationToken cancellationToken) =>
        SingleAsync("SELECT document FROM audit WHERE chain = $chain ORDER BY sequence DESC LIMIT 1", chain, null, cancellationToken);

    public Task<AuditRecord?> FindAsync(string chain, string id, CancellationToken cancellationToken) =>
        SingleAsync("SELECT document FROM audit WHERE chain = $chain AND record_id = $id", chain, id, cancellationToken);

    /// <summary>
    /// Creates the record in a group commit (decisions 25, 26): the call queues its record, and one drain task at a
    /// time takes the writer's turn, empties the queue (up to <see cref="MaxBatch"/> records a transaction, those
    /// queued while it waited for the turn included) and commits them with one prepared statement. Every call
    /// returns only once its own record is committed (true) or found taken (false); a record that failed otherwise,
    /// or a batch whose commit failed, throws for those calls. A caller cancelled while waiting may still have its
    /// record written; <see cref="AuditLog"/> finds it by its id when the entry has one.
    /// </summary>
    public Task<bool> TryCreateAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        // JSON before the queue, on the caller's thread, so the writer's turn is spent on inserts alone.
        var pending = new PendingRecord(record, JsonSerializer.Serialize(record, DocumentJson.Options));
        _queue.Enqueue(pending);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Records queued and not yet taken into a batch (for tests).</summary>
    internal int Queued => _queue.Count;

    /// <summary>Transactions written so far by the group commit (for tests).</summary>
    internal long Batches => Interlocked.Read(ref _batches);

    private async Task DrainAsync()
    {
        while (true)
        {
            while (!_queue.IsEmpty)
            {
                await WriteBatchAsync();
            }
            Volatile.Write(ref _draining, 0);
            // A record queued after the last check and before the flag went down would otherwise wait for the next caller.
            if (_queue.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
            {
                return;
            }
        }
    }

    /// <summary>Writes one batch; never throws (the batch's callers are told instead).</summary>
    private async Task WriteBatchAsync()
    {
        // Not any caller's token: the batch holds other callers' records, whose commit must not depend on one caller.
        var batch = new List<PendingRecord>(MaxBatch);
        try
        {
            await using var connection = await database.OpenWriterAsync(CancellationToken.None);
            // Taken only once the writer's turn is ours, so the records queued while waiting for it join this batch.
            Take(batch);
            if (batch.Count == 1)
            {
                // Alone: a plain insert in its own implicit transaction, without BEGIN and COMMIT.
                batch[0].Done.TrySetResult(await InsertAloneAsync(connection, batch[0]));
                Interlocked.Increment(ref _batches);
                return;
            }
            var inserted = new bool[batch.Count];
            try
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(CancellationToken.None);
                await using var command = InsertCommand(connection);
                command.Transaction = transaction;
                command.Prepare();
                for (var i = 0; i < batch.Count; i++)
                {
                    Bind(command, batch[i]);
                    inserted[i] = await command.ExecuteNonQueryAsync(CancellationToken.None) == 1;
                }
                await transaction.CommitAsync(CancellationToken.None);
            }
            catch (SqliteException)
            {
                // One record failed otherwise than on a taken key (or the commit did): the transaction is rolled back
                // and the records are written again one by one, so the failure is that record's alone.
                foreach (var pending in batch)
                {
                    await InsertAloneOrFailAsync(connection, pending);
                }
                return;
            }
            Interlocked.Increment(ref _batches);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(inserted[i]);
            }
        }
        catch (Exception e)
        {
            // Nothing of this batch is known to be committed: none of its calls may answer true.
            if (batch.Count == 0)
            {
                // The writer's turn itself failed: the queued records are this failure's too.
                Take(batch);
            }
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(e);
            }
        }
    }

    private void Take(List<PendingRecord> batch)
    {
        while (batch.Count < MaxBatch && _queue.TryDequeue(out var next))
        {
            batch.Add(next);
        }
    }

    private async Task InsertAloneOrFailAsync(SqliteConnection connection, PendingRecord pending)
    {
        try
        {
            pending.Done.TrySetResult(await InsertAloneAsync(connection, pending));
            Interlocked.Increment(ref _batches);
        }
        catch (Exception e)
        {
            pending.Done.TrySetException(e);
        }
    }

    private static async Task<bool> InsertAloneAsync(SqliteConnection connection, PendingRecord pending)
    {
        await using var command = InsertCommand(connection);
        Bind(command, pending);
        return await command.ExecuteNonQueryAsync(CancellationToken.None) == 1;
    }

    private static SqliteCommand InsertCommand(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = Insert;
        command.Parameters.Add("$chain", SqliteType.Text);
        command.Parameters.Add("$sequence", SqliteType.Integer);
        command.Parameters.Add("$id", SqliteType.Text);
        command.Parameters.Add("$document", SqliteType.Text);
        return command;
    }

    private static void Bind(SqliteCommand command, PendingRecord pending)
    {
        command.Parameters[0].Value = pending.Record.Chain;
        command.Parameters[1].Value = pending.Record.Sequence;
        command.Parameters[2].Value = pending.Record.Id;
        command.Parameters[3].Value = pending.Document;
    }

    private sealed record PendingRecord(AuditRecord Record, string Document)
    {
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task<IReadOnlyList<AuditRecord>> ReadChainAsync(string chain, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM audit WHERE chain = $chain ORDER BY sequence";
        command.Parameters.AddWithValue("$chain", chain);
        var records = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(JsonSerializer.Deserialize<AuditRecord>(reader.GetString(0), DocumentJson.Options)!);
        }
        return records;
    }

    /// <summary>A range of the primary key (chain, sequence): SQLite seeks to the first sequence and stops after count rows.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ReadChainAsync(string chain, long fromSequence, int count, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM audit WHERE chain = $chain AND sequence >= $from ORDER BY sequence LIMIT $count";
        command.Parameters.AddWithValue("$chain", chain);
        command.Parameters.AddWithValue("$from", fromSequence);
        command.Parameters.AddWithValue("$count", count);
        var records = new List<AuditRecord>(Math.Min(count, 1024));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(JsonSerializer.Deserialize<AuditRecord>(reader.GetString(0), DocumentJson.Options)!);
        }
        return records;
    }

    private async Task<AuditRecord?> SingleAsync(string sql, string chain, string? id, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$chain", chain);
        if (id is not null)
        {
            command.Parameters.AddWithValue("$id", id);
        }
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<AuditRecord>(json, DocumentJson.Options)
            : null;
    }
}
