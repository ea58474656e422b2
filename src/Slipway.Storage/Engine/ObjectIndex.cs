using Dapper;
using Microsoft.Data.Sqlite;

namespace Slipway.Storage.Engine;

/// <summary>
/// The store's own SQLite index (<c>objects/index.db</c>): buckets, object metadata, multipart uploads, access keys and
/// storage add-ons. WAL with synchronous=FULL, so a committed row survives kill -9 and power loss; rows are committed
/// only after the data file they name is durable.
/// </summary>
internal sealed class ObjectIndex
{
    /// <summary>Schema steps by version: a store at user_version N runs the steps after N, in one transaction.</summary>
    private static readonly string[] Migrations = [SchemaV1, SchemaV2];

    private const string SchemaV1 = """
        CREATE TABLE IF NOT EXISTS buckets (
            name TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            public_read INTEGER NOT NULL DEFAULT 0,
            cors TEXT NULL,
            created_ms INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS buckets_owner ON buckets (owner, name);
        CREATE TABLE IF NOT EXISTS objects (
            bucket TEXT NOT NULL,
            key TEXT NOT NULL,
            data_file TEXT NOT NULL,
            size INTEGER NOT NULL,
            etag TEXT NOT NULL,
            modified_ms INTEGER NOT NULL,
            headers TEXT NOT NULL,
            checksums TEXT NULL,
            parts INTEGER NULL,
            PRIMARY KEY (bucket, key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS uploads (
            id TEXT PRIMARY KEY,
            bucket TEXT NOT NULL,
            key TEXT NOT NULL,
            headers TEXT NOT NULL,
            initiated_ms INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS uploads_bucket ON uploads (bucket, key, initiated_ms);
        CREATE TABLE IF NOT EXISTS parts (
            upload_id TEXT NOT NULL,
            number INTEGER NOT NULL,
            data_file TEXT NOT NULL,
            size INTEGER NOT NULL,
            etag TEXT NOT NULL,
            modified_ms INTEGER NOT NULL,
            PRIMARY KEY (upload_id, number)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS access_keys (
            id TEXT PRIMARY KEY,
            account TEXT NOT NULL,
            bucket TEXT NULL,
            read_only INTEGER NOT NULL,
            sealed_secret BLOB NOT NULL,
            description TEXT NULL,
            created_ms INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS access_keys_account ON access_keys (account, created_ms);
        CREATE TABLE IF NOT EXISTS addons (
            id TEXT PRIMARY KEY,
            app_id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE,
            account TEXT NOT NULL,
            bucket TEXT NOT NULL,
            access_key_id TEXT NOT NULL,
            created_ms INTEGER NOT NULL);
        """;

    /// <summary>Small objects' bytes in the index (<see cref="InlineBodies"/>); objects.inline says where a version's bytes are.</summary>
    private const string SchemaV2 = """
        ALTER TABLE objects ADD COLUMN inline INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE inline_bodies (
            id TEXT PRIMARY KEY,
            bytes BLOB NOT NULL);
        """;

    private readonly string _connectionString;
    private readonly GroupCommit _writes;
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = [];

    public ObjectIndex(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        connection.Execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
        var version = connection.ExecuteScalar<long>("PRAGMA user_version");
        if (version < Migrations.Length)
        {
            using var transaction = connection.BeginTransaction();
            foreach (var step in Migrations.Skip((int)version))
            {
                connection.Execute(step, transaction: transaction);
            }

            connection.Execute($"PRAGMA user_version = {Migrations.Length}", transaction: transaction);
            transaction.Commit();
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _writes = new GroupCommit(() => OpenAsync());
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        Configure(connection);
        return connection;
    }

    /// <summary>For reads short enough that a thread-pool hop would cost more (a small body).</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Configure(connection);
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in an IMMEDIATE transaction shared with the other writes waiting (<see cref="GroupCommit"/>);
    /// completes once that transaction is committed.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken = default) =>
        _writes.WriteAsync(work, cancellationToken);

    /// <summary>Pooled connections keep their SQLite handle and its settings: set them once per handle, not per open.</summary>
    private void Configure(SqliteConnection connection)
    {
        var handle = connection.Handle!;
        if (!_configured.TryGetValue(handle, out _))
        {
            connection.Execute("PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;");
            _configured.AddOrUpdate(handle, handle);
        }
    }
}
