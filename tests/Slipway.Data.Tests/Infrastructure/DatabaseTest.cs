using Microsoft.Extensions.Time.Testing;

namespace Slipway.Data.Tests.Infrastructure;

/// <summary>A real, migrated SQLite file in a directory of its own for each test, removed afterwards.</summary>
public abstract class DatabaseTest : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slipway-data-").FullName;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 29, 21, 0, 0, TimeSpan.Zero));

    protected SlipwayDatabase Database { get; private set; } = null!;

    public virtual async ValueTask InitializeAsync()
    {
        Database = new SlipwayDatabase(Path.Combine(_directory, "slipway.db"));
        await Database.MigrateAsync();
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
