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
    private const int PrimaryKeyOrUniqueViolation = 19; // SQLITE_CONSTRAINT

    /// <summary>The most records one transaction of the group commit writes, so one turn of the writer stays short.</summary>
    internal const int MaxBatch = 64;

    private readonly ConcurrentQueue<PendingRecord> _queue = new();
    // Held by the call writing a batch; the others wait for it and then usually find their record already written.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private long _batches;

    public Task<AuditRecord?> GetLastAsync(string chain, CancellationToken cancellationToken) =>
        SingleAsync("SELECT document FROM audit WHERE chain = $chain ORDER BY sequence DESC LIMIT 1", chain, null, cancellationToken);

    public Task<AuditRecord?> FindAsync(string chain, string id, CancellationToken cancellationToken) =>
        SingleAsync("SELECT document FROM audit WHERE chain = $chain AND record_id = $id", chain, id, cancellationToken);

    /// <summary>
    /// Creates the record in a group commit: concurrent calls wait in a queue, and whichever of them takes the turn
    /// writes every waiting record (up to <see cref="MaxBatch"/>) in one transaction on one writer turn, each record in
    /// its own savepoint so a taken (chain, sequence) answers false for that record alone (decision 25). Every call
    /// returns only once its own record is committed (true) or refused (false); a record that failed otherwise, or a
    /// batch whose commit failed, throws for those calls.
    /// </summary>
    public async Task<bool> TryCreateAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        // JSON before the queue, so the writer's turn is spent on inserts alone.
        var pending = new PendingRecord(record, JsonSerializer.Serialize(record, DocumentJson.Options));
        _queue.Enqueue(pending);
        await _turn.WaitAsync(cancellationToken);
        try
        {
            // An earlier turn may already have written this record; otherwise this call writes the queue's head
            // until its own record is in a batch (first in, first out, so that is at most a few batches).
            while (!pending.Done.Task.IsCompleted)
            {
                await WriteBatchAsync();
            }
        }
        finally
        {
            _turn.Release();
        }
        return await pending.Done.Task;
    }

    /// <summary>Records queued and not yet taken into a batch (for tests).</summary>
    internal int Queued => _queue.Count;

    /// <summary>Transactions written so far by the group commit (for tests).</summary>
    internal long Batches => Interlocked.Read(ref _batches);

    private async Task WriteBatchAsync()
    {
        // Not the caller's token: the batch holds other callers' records, whose commit must not depend on one caller.
        var batch = new List<PendingRecord>(MaxBatch);
        try
        {
            await using var connection = await database.OpenWriterAsync(CancellationToken.None);
            // Taken only once the writer's turn is ours, so the records queued while waiting for it join this batch.
            while (batch.Count < MaxBatch && _queue.TryDequeue(out var next))
            {
                batch.Add(next);
            }
            if (batch.Count == 1)
            {
                // Alone in the queue: a plain insert, its own transaction, without the savepoint statements.
                batch[0].Done.TrySetResult(await InsertAloneAsync(connection, batch[0]));
                Interlocked.Increment(ref _batches);
                return;
            }
            var outcomes = new (bool Inserted, Exception? Failure)[batch.Count];
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                outcomes[i] = await InsertInSavepointAsync(connection, transaction, batch[i]);
            }
            await transaction.CommitAsync(CancellationToken.None);
            Interlocked.Increment(ref _batches);
            for (var i = 0; i < batch.Count; i++)
            {
                if (outcomes[i].Failure is { } failure)
                {
                    batch[i].Done.TrySetException(failure);
                }
                else
                {
                    batch[i].Done.TrySetResult(outcomes[i].Inserted);
                }
            }
        }
        catch (Exception e)
        {
            // Nothing of this batch is known to be committed: none of its calls may answer true.
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(e);
            }
            if (batch.Count == 0)
            {
                throw;
            }
        }
    }

    private static async Task<bool> InsertAloneAsync(SqliteConnection connection, PendingRecord pending)
    {
        await using var command = InsertCommand(connection, pending);
        try
        {
            await command.ExecuteNonQueryAsync(CancellationToken.None);
            return true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == PrimaryKeyOrUniqueViolation)
        {
            return false;
        }
    }

    private static SqliteCommand InsertCommand(SqliteConnection connection, PendingRecord pending)
    {
        var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO audit (chain, sequence, record_id, document) VALUES ($chain, $sequence, $id, $document)";
        command.Parameters.AddWithValue("$chain", pending.Record.Chain);
        command.Parameters.AddWithValue("$sequence", pending.Record.Sequence);
        command.Parameters.AddWithValue("$id", pending.Record.Id);
        command.Parameters.AddWithValue("$document", pending.Document);
        return command;
    }

    private static async Task<(bool Inserted, Exception? Failure)> InsertInSavepointAsync(
        SqliteConnection connection, SqliteTransaction transaction, PendingRecord pending)
    {
        await ExecuteAsync(connection, transaction, "SAVEPOINT audit_record");
        try
        {
            await using var command = InsertCommand(connection, pending);
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(CancellationToken.None);
            await ExecuteAsync(connection, transaction, "RELEASE audit_record");
            return (true, null);
        }
        catch (SqliteException e)
        {
            // Undo this record alone; the others of the batch stay. If even that fails, the whole batch fails.
            await ExecuteAsync(connection, transaction, "ROLLBACK TO audit_record");
            await ExecuteAsync(connection, transaction, "RELEASE audit_record");
            return e.SqliteErrorCode == PrimaryKeyOrUniqueViolation ? (false, null) : (false, e);
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(CancellationToken.None);
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

    #region Ranged reads (decision 27)

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

    #endregion

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
