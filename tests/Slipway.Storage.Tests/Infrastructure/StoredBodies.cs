using Microsoft.Data.Sqlite;

namespace Slipway.Storage.Tests.Infrastructure;

/// <summary>Where a store's bytes are: data files on disk and inline bodies in its index, to prove nothing is left behind.</summary>
public static class StoredBodies
{
    /// <summary>Waits (generously) for <paramref name="files"/> data files, then checks the index holds exactly <paramref name="inline"/> inline bodies, each named by an object.</summary>
    public static async Task AssertAsync(string objectsRoot, int files, int inline)
    {
        await DataFileCount.WaitForAsync(Path.Combine(objectsRoot, "data"), files);
        Assert.Equal((inline, inline), InlineCounts(objectsRoot));
    }

    /// <summary>How many inline bodies the index holds, and how many objects name one.</summary>
    public static (long Bodies, long Named) InlineCounts(string objectsRoot)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(objectsRoot, "index.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return (Scalar(connection, "SELECT COUNT(*) FROM inline_bodies"),
            Scalar(connection, "SELECT COUNT(*) FROM objects o JOIN inline_bodies b ON b.id = o.data_file WHERE o.inline"));
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
