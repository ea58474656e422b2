using Dapper;
using Slipway.Core.Accounts;

namespace Slipway.Data.Accounts;

public sealed class AccountRepository(SlipwayDatabase database, TimeProvider time)
{
    private const string Columns = "id, email, name, is_admin AS IsAdmin, verified, created_at AS CreatedAt, updated_at AS UpdatedAt, last_login AS LastLogin";

    public async Task<Account> CreateAsync(string email, string? name, string? passwordHash, bool isAdmin, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var row = new AccountRow { Id = Guid.NewGuid().ToString(), Email = email, Name = name, IsAdmin = isAdmin, CreatedAt = now, UpdatedAt = now };
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(
                "INSERT INTO accounts (id, email, name, password_hash, is_admin, verified, created_at, updated_at) VALUES (@Id, @Email, @Name, @passwordHash, @IsAdmin, 0, @CreatedAt, @UpdatedAt)",
                new { row.Id, row.Email, row.Name, passwordHash, row.IsAdmin, row.CreatedAt, row.UpdatedAt });
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw new DuplicateException($"An account with email {email} already exists.");
        }

        return row.ToAccount();
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM accounts");
    }

    public async Task<Account?> FindByIdAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<AccountRow>($"SELECT {Columns} FROM accounts WHERE id = @id", new { id }))?.ToAccount();
    }

    public async Task<Account?> FindByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<AccountRow>($"SELECT {Columns} FROM accounts WHERE email = @email", new { email }))?.ToAccount();
    }

    public async Task<string?> GetPasswordHashAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>("SELECT password_hash FROM accounts WHERE id = @accountId", new { accountId });
    }

    /// <summary>Marks the account verified (Heroku's card verification): its free pool grows to 1000 hours.</summary>
    public async Task<Account?> SetVerifiedAsync(string accountId, bool verified, CancellationToken cancellationToken = default)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            await connection.ExecuteAsync("UPDATE accounts SET verified = @verified, updated_at = @now WHERE id = @accountId", new { accountId, verified, now = time.GetUtcNow() });
        }

        return await FindByIdAsync(accountId, cancellationToken);
    }

    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AccountRow>($"SELECT {Columns} FROM accounts ORDER BY email")).Select(r => r.ToAccount()).ToList();
    }

    public async Task RecordLoginAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE accounts SET last_login = @now WHERE id = @accountId", new { accountId, now = time.GetUtcNow() });
    }

    /// <summary>Stores a token by its hash only; the token itself is never written.</summary>
    public async Task AddTokenAsync(string accountId, string tokenHash, string? description, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO api_tokens (id, account_id, token_hash, description, created_at) VALUES (@id, @accountId, @tokenHash, @description, @now)",
            new { id = Guid.NewGuid().ToString(), accountId, tokenHash, description, now = time.GetUtcNow() });
    }

    public async Task<Account?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(
            $"SELECT {string.Join(", ", Columns.Split(", ").Select(c => "a." + c))} FROM api_tokens t JOIN accounts a ON a.id = t.account_id " +
            "WHERE t.token_hash = @tokenHash AND (t.expires_at IS NULL OR t.expires_at > @now)",
            new { tokenHash, now = time.GetUtcNow() });
        return row?.ToAccount();
    }

    private sealed class AccountRow
    {
        public string Id { get; set; } = "";

        public string Email { get; set; } = "";

        public string? Name { get; set; }

        public bool IsAdmin { get; set; }

        public bool Verified { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset UpdatedAt { get; set; }

        public DateTimeOffset? LastLogin { get; set; }

        public Account ToAccount() => new()
        {
            Id = Id, Email = Email, Name = Name, IsAdmin = IsAdmin, Verified = Verified,
            CreatedAt = CreatedAt, UpdatedAt = UpdatedAt, LastLogin = LastLogin,
        };
    }
}
