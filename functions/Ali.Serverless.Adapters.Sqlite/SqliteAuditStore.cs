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
    private readonly ParsedDocuments<AuditRecord> _parsed = new();

    /// <summary>The most calls one transaction of the group commit takes, so one turn of the writer stays short.</summary>
    internal const int MaxBatch = 64;

    /// <summary>The most records one transaction takes when calls bring runs (decision 29); a larger run goes alone.</summary>
    internal const int MaxBatchRecords = 1_024;

    // OR IGNORE: a taken (chain, sequence) or (chain, record id) inserts nothing and reports no change, which is the
    // "false" of TryCreateAsync, without a savepoint per record. Every column is NOT NULL and always set, so no
    // other constraint can be ignored by it.
    private const string Insert = "INSERT OR IGNORE INTO audit (chain, sequence, record_id, document) VALUES ($chain, $sequence, $id, $document)";

    private readonly ConcurrentQueue<PendingRun> _queue = new();
    // 1 while a drain task writes the queue; the callers themselves only enqueue and wait for their own record.
    private int _draining;
    private long _batches;

    public Task<AuditRecord?> GetLastAsync(string chain, CancellationToken cancellationToken) =>
        SingleAsync("SELECT document FROM audit WHERE chain = $chain ORDER BY sequence DESC LIMIT 1", chain, null, cancellationToken);

    public Task<AuditRecord?> FindAsync(string chain, string id, CancellationToken cancellationToken) =>
        SingleAsync("SELECT document FROM audit WHERE chain = $chain AND record_id = $id", chain, id, cancellationToken);

    /// <summary>
    /// Creates the record in a group commit (decisions 25, 26): the call queues its record, and one drain task at a
    /// time takes the writer's turn, empties the queue (up to <see cref="MaxBatch"/> calls a transaction, those
    /// queued while it waited for the turn included) and commits them with one prepared statement. Every call
    /// returns only once its own record is committed (true) or found taken (false); a record that failed otherwise,
    /// or a batch whose commit failed, throws for those calls. A caller cancelled while waiting may still have its
    /// record written; <see cref="AuditLog"/> finds it by its id when the entry has one.
    /// </summary>
    public async Task<bool> TryCreateAsync(AuditRecord record, CancellationToken cancellationToken) =>
        await TryCreateRunAsync([record], cancellationToken) == 1;

    /// <summary>
    /// Consecutive records of one chain in the same group commit as single records (decision 29): inserted in order,
    /// stopping at the first taken sequence, so what is written is always a prefix of the run and never a record
    /// linked to one that is not there.
    /// </summary>
    public Task<int> TryCreateRunAsync(IReadOnlyList<AuditRecord> run, CancellationToken cancellationToken)
    {
        if (run.Count == 0)
        {
            return Task.FromResult(0);
        }
        // JSON before the queue, on the caller's thread, so the writer's turn is spent on inserts alone.
        var documents = new string[run.Count];
        for (var i = 0; i < run.Count; i++)
        {
            documents[i] = JsonSerializer.Serialize(run[i], DocumentJson.Options);
        }
        var pending = new PendingRun(run, documents);
        _queue.Enqueue(pending);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Calls queued and not yet taken into a batch (for tests).</summary>
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
        var batch = new List<PendingRun>();
        try
        {
            await using var connection = await database.OpenWriterAsync(CancellationToken.None);
            // Taken only once the writer's turn is ours, so the records queued while waiting for it join this batch.
            Take(batch);
            if (batch.Count == 1 && batch[0].Records.Count == 1)
            {
                // Alone: a plain insert in its own implicit transaction, without BEGIN and COMMIT.
                batch[0].Done.TrySetResult(await InsertAloneAsync(connection, batch[0]));
                Interlocked.Increment(ref _batches);
                return;
            }
            var created = new int[batch.Count];
            try
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(CancellationToken.None);
                await using var command = InsertCommand(connection);
                command.Transaction = transaction;
                command.Prepare();
                for (var i = 0; i < batch.Count; i++)
                {
                    created[i] = await InsertRunAsync(command, batch[i]);
                }
                await transaction.CommitAsync(CancellationToken.None);
            }
            catch (SqliteException)
            {
                // One record failed otherwise than on a taken key (or the commit did): the transaction is rolled back
                // and the calls are written again one by one, so the failure stays that call's.
                foreach (var pending in batch)
                {
                    await InsertAloneOrFailAsync(connection, pending);
                }
                return;
            }
            Interlocked.Increment(ref _batches);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(created[i]);
            }
        }
        catch (Exception e)
        {
            // Nothing of this batch is known to be committed: none of its calls may answer that it wrote something.
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

    /// <summary>Up to <see cref="MaxBatch"/> calls and <see cref="MaxBatchRecords"/> records; always at least one call.</summary>
    private void Take(List<PendingRun> batch)
    {
        var records = 0;
        // Only the drain task takes from the queue, so the call peeked at is the one dequeued.
        while (_queue.TryPeek(out var next) && (batch.Count == 0 || (batch.Count < MaxBatch && records + next.Records.Count <= MaxBatchRecords)) && _queue.TryDequeue(out next))
        {
            batch.Add(next);
            records += next.Records.Count;
        }
    }

    /// <summary>Inserts the run's records in order until one finds its place taken; the number inserted.</summary>
    private static async Task<int> InsertRunAsync(SqliteCommand command, PendingRun pending)
    {
        for (var i = 0; i < pending.Records.Count; i++)
        {
            Bind(command, pending.Records[i], pending.Documents[i]);
            if (await command.ExecuteNonQueryAsync(CancellationToken.None) != 1)
            {
                return i;
            }
        }
        return pending.Records.Count;
    }

    private async Task InsertAloneOrFailAsync(SqliteConnection connection, PendingRun pending)
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

    private static async Task<int> InsertAloneAsync(SqliteConnection connection, PendingRun pending)
    {
        await using var command = InsertCommand(connection);
        if (pending.Records.Count == 1)
        {
            return await InsertRunAsync(command, pending);
        }
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(CancellationToken.None);
        command.Transaction = transaction;
        var created = await InsertRunAsync(command, pending);
        await transaction.CommitAsync(CancellationToken.None);
        return created;
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

    private static void Bind(SqliteCommand command, AuditRecord record, string document)
    {
        command.Parameters[0].Value = record.Chain;
        command.Parameters[1].Value = record.Sequence;
        command.Parameters[2].Value = record.Id;
        command.Parameters[3].Value = document;
    }

    /// <summary>One call's records (one, or a run of one chain) and the JSON of each, with the call's answer.</summary>
    private sealed record PendingRun(IReadOnlyList<AuditRecord> Records, string[] Documents)
    {
        public TaskCompletionSource<int> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task<IReadOnlyList<AuditRecord>> ReadChainAsync(string chain, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command("SELECT document FROM audit WHERE chain = $chain ORDER BY sequence");
        command.Parameters.AddWithValue("$chain", chain);
        var records = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(_parsed.Parse(reader.GetString(0)));
        }
        return records;
    }

    /// <summary>A range of the primary key (chain, sequence): SQLite seeks to the first sequence and stops after count rows.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ReadChainAsync(string chain, long fromSequence, int count, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command("SELECT document FROM audit WHERE chain = $chain AND sequence >= $from ORDER BY sequence LIMIT $count");
        command.Parameters.AddWithValue("$chain", chain);
        command.Parameters.AddWithValue("$from", fromSequence);
        command.Parameters.AddWithValue("$count", count);
        var records = new List<AuditRecord>(Math.Min(count, 1024));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(_parsed.Parse(reader.GetString(0)));
        }
        return records;
    }

    private async Task<AuditRecord?> SingleAsync(string sql, string chain, string? id, CancellationToken cancellationToken)
    {
        using var reads = database.Read();
        var command = reads.Command(sql);
        command.Parameters.AddWithValue("$chain", chain);
        if (id is not null)
        {
            command.Parameters.AddWithValue("$id", id);
        }
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? _parsed.Parse(json)
            : null;
    }
}
