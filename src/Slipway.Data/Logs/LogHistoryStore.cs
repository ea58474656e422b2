using Microsoft.Data.Sqlite;
using Slipway.Core.Logs;

namespace Slipway.Data.Logs;

/// <summary>
/// The persistent log history: the last <see cref="LinesPerApp"/> lines of every app in their own SQLite file
/// (state lives in the main database; logs are high-volume and disposable, so they get WAL with synchronous=NORMAL).
/// </summary>
public sealed class LogHistoryStore
{
    private const string Schema =
        "CREATE TABLE IF NOT EXISTS log_lines (" +
        " app_id TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, source TEXT NOT NULL, process TEXT NOT NULL, message TEXT NOT NULL," +
        " PRIMARY KEY (app_id, seq)) WITHOUT ROWID;";

    private readonly string _connectionString;

    public LogHistoryStore(string path, int linesPerApp)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(linesPerApp, 1);
        LinesPerApp = linesPerApp;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public int LinesPerApp { get; }

    /// <summary>Creates the file and its schema when missing (this file has no migrations: its one table is its whole schema).</summary>
    public void EnsureCreated()
    {
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode = WAL; " + Schema);
    }

    /// <summary>The last sequence number of every app with history, so numbering continues after a restart.</summary>
    public Dictionary<string, long> LastSequences()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT app_id, MAX(seq) FROM log_lines GROUP BY app_id";
        using var reader = command.ExecuteReader();
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read())
        {
            result[reader.GetString(0)] = reader.GetInt64(1);
        }

        return result;
    }

    /// <summary>Stores a batch in one transaction, then trims every app it touched to <see cref="LinesPerApp"/> lines.</summary>
    public void Append(IReadOnlyList<LogEntry> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT OR REPLACE INTO log_lines (app_id, seq, at, source, process, message) VALUES ($app, $seq, $at, $source, $process, $message)";
        var app = insert.Parameters.Add("$app", SqliteType.Text);
        var seq = insert.Parameters.Add("$seq", SqliteType.Integer);
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        var source = insert.Parameters.Add("$source", SqliteType.Text);
        var process = insert.Parameters.Add("$process", SqliteType.Text);
        var message = insert.Parameters.Add("$message", SqliteType.Text);
        insert.Prepare();

        var newest = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in batch)
        {
            app.Value = entry.AppId;
            seq.Value = entry.Sequence;
            at.Value = ToMicroseconds(entry.Line.Timestamp);
            source.Value = entry.Line.Source;
            process.Value = entry.Line.Process;
            message.Value = entry.Line.Message;
            insert.ExecuteNonQuery();
            newest[entry.AppId] = Math.Max(entry.Sequence, newest.GetValueOrDefault(entry.AppId));
        }

        using var trim = connection.CreateCommand();
        trim.Transaction = transaction;
        trim.CommandText = "DELETE FROM log_lines WHERE app_id = $app AND seq <= $cut";
        var trimApp = trim.Parameters.Add("$app", SqliteType.Text);
        var cut = trim.Parameters.Add("$cut", SqliteType.Integer);
        foreach (var (appId, last) in newest)
        {
            trimApp.Value = appId;
            cut.Value = last - LinesPerApp;
            trim.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>
    /// The newest <paramref name="limit"/> lines matching <paramref name="filter"/> with <paramref name="after"/> &lt; sequence &lt;
    /// <paramref name="before"/>, oldest first.
    /// </summary>
    public List<LogEntry> Read(string appId, long after, long before, int limit, LogFilter filter)
    {
        var result = new List<LogEntry>();
        if (limit <= 0 || before <= after + 1)
        {
            return result;
        }

        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT seq, at, source, process, message FROM log_lines WHERE app_id = $app AND seq > $after AND seq < $before" +
            (filter.Source is null ? "" : " AND source = $source") +
            (filter.Dyno is null ? "" : " AND (process = $dyno OR substr(process, 1, $prefixLength) = $prefix)") +
            " ORDER BY seq DESC LIMIT $limit";
        command.Parameters.AddWithValue("$app", appId);
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$before", before);
        command.Parameters.AddWithValue("$limit", limit);
        if (filter.Source is not null)
        {
            command.Parameters.AddWithValue("$source", filter.Source);
        }

        if (filter.Dyno is not null)
        {
            command.Parameters.AddWithValue("$dyno", filter.Dyno);
            command.Parameters.AddWithValue("$prefix", filter.Dyno + ".");
            command.Parameters.AddWithValue("$prefixLength", filter.Dyno.Length + 1);
        }

        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var line = new LogLine(FromMicroseconds(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3), reader.GetString(4));
            result.Add(new LogEntry(appId, reader.GetInt64(0), line));
        }

        result.Reverse();
        return result;
    }

    /// <summary>Forgets an app's history (the app was destroyed).</summary>
    public void Delete(string appId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM log_lines WHERE app_id = $app";
        command.Parameters.AddWithValue("$app", appId);
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long ToMicroseconds(DateTimeOffset timestamp) => (timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static DateTimeOffset FromMicroseconds(long microseconds) => DateTimeOffset.UnixEpoch.AddTicks(microseconds * 10);
}
