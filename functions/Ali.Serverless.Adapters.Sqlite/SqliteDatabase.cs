using System.Data;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Ali.Serverless.Adapters.Sqlite;

/// <summary>
/// The local embedded database: one file, WAL journal so readers do not block the writer, and the
/// schema created on first use. Writers of this process take turns (<see cref="OpenWriterAsync"/>).
/// Checkpoints run in the background (<see cref="CheckpointIfLarge"/>), not in a writer's turn.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    /// <summary>The write-ahead log size from which the background checkpoint copies it into the database (SQLite's own default is 1,000 pages).</summary>
    internal const long CheckpointWalBytes = 4 * 1024 * 1024;

    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(500);

    private readonly string _connectionString;
    private readonly string _path;
    private readonly Timer _checkpoints;
    private int _checkpointing;

    // SQLite has one writer at a time. Two connections of this process that both write collide, and
    // Microsoft.Data.Sqlite answers SQLITE_BUSY by sleeping 150 ms on the thread before it retries (decision 23):
    // queueing here instead costs a write its turn, not a sleep.
    private readonly SemaphoreSlim _writers = new(1, 1);

    // The native connections already given this database's per-connection settings (see Open); weak, so a handle the
    // pool closes is forgotten with it.
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = new();
    private static readonly object Configured = new();

    /// <summary>Connections kept for reads between calls, each with its prepared statements (<see cref="Read"/>).</summary>
    internal const int MaxIdleReads = 32;

    private readonly Lock _readsLock = new();
    private readonly Stack<SqliteReads> _idleReads = new();
    private bool _disposed;

    public SqliteDatabase(string path) : this(path, CheckpointInterval)
    {
    }

    /// <summary>For tests: <paramref name="checkpointInterval"/> <see cref="Timeout.InfiniteTimeSpan"/> leaves checkpoints to the test.</summary>
    internal SqliteDatabase(string path, TimeSpan checkpointInterval)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        _path = Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS catalog_items (
                item_code TEXT PRIMARY KEY,
                department_code TEXT NOT NULL,
                item_type TEXT NOT NULL,
                document TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS catalog_version (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                document TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS applications (
                owner_id TEXT NOT NULL,
                id TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                awaiting_dispatch_since INTEGER NULL,
                etag TEXT NOT NULL,
                document TEXT NOT NULL,
                PRIMARY KEY (owner_id, id));
            CREATE INDEX IF NOT EXISTS applications_by_owner ON applications (owner_id, created_at DESC, id DESC);
            CREATE INDEX IF NOT EXISTS applications_awaiting_dispatch ON applications (awaiting_dispatch_since)
                WHERE awaiting_dispatch_since IS NOT NULL;
            CREATE TABLE IF NOT EXISTS tasks (
                department_code TEXT NOT NULL,
                id TEXT NOT NULL,
                state TEXT NOT NULL,
                kind TEXT NOT NULL,
                due_at INTEGER NOT NULL,
                document TEXT NOT NULL,
                PRIMARY KEY (department_code, id));
            CREATE INDEX IF NOT EXISTS tasks_worklist ON tasks (department_code, state, due_at, id);
            CREATE INDEX IF NOT EXISTS tasks_due ON tasks (state, due_at);
            CREATE TABLE IF NOT EXISTS audit (
                chain TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                record_id TEXT NOT NULL,
                document TEXT NOT NULL,
                PRIMARY KEY (chain, sequence));
            CREATE UNIQUE INDEX IF NOT EXISTS audit_record_id ON audit (chain, record_id);
            CREATE TABLE IF NOT EXISTS cases (
                case_number TEXT PRIMARY KEY,
                document TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS warnings (
                department_code TEXT NOT NULL,
                id TEXT NOT NULL,
                level TEXT NOT NULL,
                raised_at INTEGER NOT NULL,
                queued_at INTEGER NULL,
                document TEXT NOT NULL,
                PRIMARY KEY (department_code, id));
            CREATE INDEX IF NOT EXISTS warnings_newest ON warnings (raised_at DESC, id DESC);
            CREATE INDEX IF NOT EXISTS warnings_unqueued ON warnings (queued_at) WHERE queued_at IS NULL;
            CREATE TABLE IF NOT EXISTS notifications (
                recipient TEXT NOT NULL,
                id TEXT NOT NULL,
                channel TEXT NOT NULL,
                status TEXT NOT NULL,
                application_id TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                not_before INTEGER NULL,
                read_at INTEGER NULL,
                sent_at INTEGER NULL,
                phone_key TEXT NULL,
                provider_message_id TEXT NULL,
                fell_back INTEGER NOT NULL,
                etag TEXT NOT NULL,
                document TEXT NOT NULL,
                PRIMARY KEY (recipient, id));
            CREATE INDEX IF NOT EXISTS notifications_inbox ON notifications (recipient, created_at DESC, id DESC);
            CREATE INDEX IF NOT EXISTS notifications_to_send ON notifications (status, channel, created_at);
            CREATE INDEX IF NOT EXISTS notifications_provider ON notifications (provider_message_id) WHERE provider_message_id IS NOT NULL;
            CREATE INDEX IF NOT EXISTS notifications_phone ON notifications (phone_key, sent_at) WHERE phone_key IS NOT NULL;
            CREATE TABLE IF NOT EXISTS licences (
                id TEXT PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                holder_account_id TEXT NULL,
                issued_at INTEGER NOT NULL,
                etag TEXT NOT NULL,
                document TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS licences_by_holder ON licences (holder_account_id, issued_at DESC) WHERE holder_account_id IS NOT NULL;
            CREATE TABLE IF NOT EXISTS preferences (
                subject_key TEXT PRIMARY KEY,
                document TEXT NOT NULL);
            """);
        // Columns added by the case workflow; a database made before it gets them here.
        // Set while an SMS is claimed and not yet accepted, so an interrupted delivery can be found (decision 9).
        AddColumnIfMissing(connection, "notifications", "claimed_at", "INTEGER NULL");
        AddColumnIfMissing(connection, "applications", "outbox_since", "INTEGER NULL");
        AddColumnIfMissing(connection, "applications", "review_due_at", "INTEGER NULL");
        // Columns added by retention (decision 15); rows written before them are swept once rewritten.
        AddColumnIfMissing(connection, "applications", "draft_since", "INTEGER NULL");
        AddColumnIfMissing(connection, "applications", "ended_at", "INTEGER NULL");
        Execute(connection, """
            CREATE INDEX IF NOT EXISTS applications_outbox ON applications (outbox_since) WHERE outbox_since IS NOT NULL;
            CREATE INDEX IF NOT EXISTS applications_review_due ON applications (review_due_at) WHERE review_due_at IS NOT NULL;
            CREATE INDEX IF NOT EXISTS applications_draft_since ON applications (draft_since) WHERE draft_since IS NOT NULL;
            CREATE INDEX IF NOT EXISTS applications_ended ON applications (ended_at) WHERE ended_at IS NOT NULL;
            CREATE TABLE IF NOT EXISTS rate_limits (
                subject TEXT NOT NULL,
                bucket TEXT NOT NULL,
                window_start INTEGER NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (subject, bucket, window_start));
            """);
        // Personal data at rest (decision 13): the keyed hash of the identity number, searched instead of
        // the number, and the KEK version the document's data key is wrapped with, for rotation.
        AddColumnIfMissing(connection, "applications", "applicant_key", "TEXT NULL");
        AddColumnIfMissing(connection, "applications", "key_id", "TEXT NULL");
        Execute(connection, """
            CREATE INDEX IF NOT EXISTS applications_by_applicant_key ON applications (applicant_key) WHERE applicant_key IS NOT NULL;
            CREATE INDEX IF NOT EXISTS applications_by_key_id ON applications (key_id);
            """);
        // Good and bad reviews (decision 17): copies per department, for public lists and statistics.
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS evaluations (
                department_code TEXT NOT NULL,
                id TEXT NOT NULL,
                item_code TEXT NOT NULL,
                evaluated_at INTEGER NOT NULL,
                voided INTEGER NOT NULL,
                version INTEGER NOT NULL,
                document TEXT NOT NULL,
                PRIMARY KEY (department_code, id));
            CREATE INDEX IF NOT EXISTS evaluations_by_time ON evaluations (evaluated_at);
            """);
        // The public lists read unvoided reviews newest first, of a department or of one of its items: in index order,
        // with no sort (decision 30). They replace evaluations_published, which had neither the voided filter nor the id.
        Execute(connection, """
            DROP INDEX IF EXISTS evaluations_published;
            CREATE INDEX IF NOT EXISTS evaluations_by_department ON evaluations (department_code, evaluated_at DESC, id DESC) WHERE voided = 0;
            CREATE INDEX IF NOT EXISTS evaluations_by_item ON evaluations (department_code, item_code, evaluated_at DESC, id DESC) WHERE voided = 0;
            """);
        // Monthly statistics (decision 18): one row per month, replaced whole when the month is computed again.
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS statistics (
                period TEXT PRIMARY KEY,
                computed_at INTEGER NOT NULL,
                document TEXT NOT NULL);
            """);
        _checkpoints = new Timer(_ => CheckpointIfLarge(), null, checkpointInterval, checkpointInterval);
    }

    /// <summary>
    /// Copies the write-ahead log into the database once it has grown past <see cref="CheckpointWalBytes"/>, on a
    /// connection of its own and outside the writers' turns (decision 28). SQLite's automatic checkpoint is off on
    /// this database's connections: it ran inside the commit that crossed the limit, so the writer holding the turn
    /// also did the checkpoint's copying and disk syncs while every other writer waited. PASSIVE: it never waits
    /// for readers or writers, and copies what it can; the log starts again from its beginning once all of it is
    /// copied and no reader still needs it. Returns whether it checkpointed.
    /// </summary>
    internal bool CheckpointIfLarge(long walBytes = CheckpointWalBytes)
    {
        if (Interlocked.Exchange(ref _checkpointing, 1) == 1)
        {
            return false;
        }
        try
        {
            var wal = new FileInfo(_path + "-wal");
            // A test that removed its database file stops here, instead of this creating a new empty one.
            if (!File.Exists(_path) || !wal.Exists || wal.Length < walBytes)
            {
                return false;
            }
            using var connection = Open();
            Execute(connection, "PRAGMA wal_checkpoint(PASSIVE);");
            return true;
        }
        catch (Exception)
        {
            // Busy, or the file went between the checks (a test removing it): the next tick tries again. Nothing may
            // escape a timer's callback, which would end the process.
            return false;
        }
        finally
        {
            Volatile.Write(ref _checkpointing, 0);
        }
    }

    public void Dispose()
    {
        _checkpoints.Dispose();
        SqliteReads[] idle;
        lock (_readsLock)
        {
            _disposed = true;
            idle = [.. _idleReads];
            _idleReads.Clear();
        }
        foreach (var reads in idle)
        {
            reads.Close();
        }
    }

    /// <summary>
    /// A connection for statements that only read, lent with the statements it prepared before (decision 30): give it
    /// back by disposing it. Never write through it: writers take turns on <see cref="OpenWriterAsync"/>.
    /// </summary>
    public SqliteReads Read()
    {
        lock (_readsLock)
        {
            if (_idleReads.TryPop(out var idle))
            {
                return idle;
            }
        }
        return new SqliteReads(this, Open());
    }

    /// <summary>How many read connections wait to be lent again (for tests).</summary>
    internal int IdleReadCount
    {
        get
        {
            lock (_readsLock)
            {
                return _idleReads.Count;
            }
        }
    }

    internal void Return(SqliteReads reads)
    {
        lock (_readsLock)
        {
            // Beyond the bound (a burst of concurrent reads), or once the database is disposed, the connection closes.
            if (!_disposed && _idleReads.Count < MaxIdleReads)
            {
                _idleReads.Push(reads);
                return;
            }
        }
        reads.Close();
    }

    private static void AddColumnIfMissing(SqliteConnection connection, string table, string column, string type)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'";
        if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            Execute(connection, $"ALTER TABLE {table} ADD COLUMN {column} {type}");
        }
    }

    /// <summary>
    /// A connection for a statement or transaction that writes: it waits for this process's other writers to finish,
    /// and lets the next one in when it is closed or disposed. Open it after any slow work (encryption, JSON), just
    /// before the write, and do not open a second writer while holding one.
    /// </summary>
    public async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        await _writers.WaitAsync(cancellationToken);
        SqliteConnection connection;
        try
        {
            connection = Open();
        }
        catch
        {
            _writers.Release();
            throw;
        }
        var released = 0;
        connection.StateChange += (_, change) =>
        {
            if (change.CurrentState == ConnectionState.Closed && Interlocked.Exchange(ref released, 1) == 0)
            {
                _writers.Release();
            }
        };
        return connection;
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // A pooled connection keeps its native handle, and the handle keeps these settings: set them once per handle,
        // not on every open (a statement per request otherwise, decision 28).
        if (_configured.TryGetValue(connection.Handle!, out _))
        {
            return connection;
        }
        // Per connection, so set on each (one statement). busy_timeout: SQLite's own busy handler waits for the
        // writer in steps of a few milliseconds; without it the client library retries a busy write only every
        // 150 ms, which made the slowest writes under concurrent queue handling 0.5-1.5 s (decision 22).
        // synchronous = NORMAL: in WAL mode it syncs at checkpoints, not at every commit; a commit survives the
        // process crashing, and only an operating-system crash or power cut can lose the last ones (decision 23).
        // wal_autocheckpoint = 0: checkpoints run in the background (CheckpointIfLarge), not in the commit of whichever
        // writer crosses the limit.
        Execute(connection, "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;");
        _configured.AddOrUpdate(connection.Handle!, Configured);
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
