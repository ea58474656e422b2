using Dapper;
using Microsoft.Data.Sqlite;

namespace Slipway.Storage.Engine;

/// <summary>
/// The bytes of small objects, kept in the index (<c>inline_bodies</c>) under the version's id instead of in a data
/// file: the one WAL commit that makes the row durable makes the bytes durable too, and concurrent PUTs share it
/// (<see cref="GroupCommit"/>), where a data file costs its own fsync and a directory entry. A body is inserted and
/// deleted in the same transaction as the row that names it, so a crash can leave neither a partial object nor garbage.
/// </summary>
internal sealed class InlineBodies(ObjectIndex index)
{
    /// <summary>Objects up to this size are stored inline (SQLite reads and writes blobs this small faster than files).</summary>
    public const int MaxSize = 64 * 1024;

    public static Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, string id, byte[] bytes) =>
        connection.ExecuteAsync("INSERT INTO inline_bodies (id, bytes) VALUES (@id, @bytes)", new { id, bytes }, transaction);

    public static Task DeleteAsync(SqliteConnection connection, SqliteTransaction transaction, string id) =>
        connection.ExecuteAsync("DELETE FROM inline_bodies WHERE id = @id", new { id }, transaction);

    /// <summary>The body's bytes; a body deleted meanwhile (an overwrite) throws as a missing data file does, so readers retry alike.</summary>
    public byte[] Read(string id)
    {
        using var connection = index.Open();
        return connection.QuerySingleOrDefault<byte[]>("SELECT bytes FROM inline_bodies WHERE id = @id", new { id })
            ?? throw new FileNotFoundException($"The inline body {id} is gone (its version was replaced).");
    }
}
