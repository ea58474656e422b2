using Dapper;
using Slipway.Core.Dynos;

namespace Slipway.Data.Dynos;

/// <summary>The actual dynos, as the DynoManager last recorded them; what <c>GET /apps/{app}/dynos</c> reads.</summary>
public sealed class DynoRepository(SlipwayDatabase database)
{
    private const string Select =
        "SELECT id, app_id AS AppId, name, type, command, size, state, release_id AS ReleaseId, release_version AS ReleaseVersion, port, " +
        "created_at AS CreatedAt, updated_at AS UpdatedAt FROM dynos";

    private const string Upsert =
        "INSERT INTO dynos (id, app_id, name, type, command, size, state, release_id, release_version, port, created_at, updated_at) " +
        "VALUES (@Id, @AppId, @Name, @Type, @Command, @Size, @state, @ReleaseId, @ReleaseVersion, @Port, @CreatedAt, @UpdatedAt) " +
        "ON CONFLICT (id) DO UPDATE SET state = excluded.state, port = excluded.port, updated_at = excluded.updated_at";

    /// <summary>Applies the changes in order in one transaction: one commit (one fsync) for a whole batch of starts and stops.</summary>
    public Task ApplyAsync(IReadOnlyList<DynoRecordChange> changes, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            foreach (var change in changes)
            {
                if (change.Upserted is { } dyno)
                {
                    await connection.ExecuteAsync(Upsert, Parameters(dyno), transaction);
                }
                else
                {
                    await connection.ExecuteAsync("DELETE FROM dynos WHERE id = @dynoId", new { dynoId = change.DynoId }, transaction);
                }
            }

            return changes.Count;
        }, cancellationToken);

    public async Task<IReadOnlyList<DynoRecord>> ListAsync(string? appId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DynoRow>($"{Select} WHERE @appId IS NULL OR app_id = @appId ORDER BY type, name", new { appId });
        return rows.Select(r => r.ToDyno()).ToList();
    }

    private static object Parameters(DynoRecord dyno) =>
        new { dyno.Id, dyno.AppId, dyno.Name, dyno.Type, dyno.Command, dyno.Size, state = dyno.State.ToApiName(), dyno.ReleaseId, dyno.ReleaseVersion, dyno.Port, dyno.CreatedAt, dyno.UpdatedAt };

    private sealed class DynoRow
    {
        public string Id { get; set; } = "";

        public string AppId { get; set; } = "";

        public string Name { get; set; } = "";

        public string Type { get; set; } = "";

        public string Command { get; set; } = "";

        public string Size { get; set; } = "";

        public string State { get; set; } = "";

        public string ReleaseId { get; set; } = "";

        public int ReleaseVersion { get; set; }

        public int? Port { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }

        public DynoRecord ToDyno() => new()
        {
            Id = Id, AppId = AppId, Name = Name, Type = Type, Command = Command, Size = Size, State = DynoStateNames.Parse(State),
            ReleaseId = ReleaseId, ReleaseVersion = ReleaseVersion, Port = Port, CreatedAt = CreatedAt, UpdatedAt = UpdatedAt,
        };
    }
}
