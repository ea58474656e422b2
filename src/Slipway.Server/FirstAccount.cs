using Slipway.Core.Accounts;
using Slipway.Data.Accounts;

namespace Slipway.Server;

internal static class FirstAccount
{
    /// <summary>On first start, creates the admin account and prints its token once (or registers <c>SLIPWAY_ADMIN_TOKEN</c>).</summary>
    public static async Task EnsureAsync(AccountRepository accounts, SlipwayOptions settings)
    {
        if (await accounts.CountAsync() > 0)
        {
            if (settings.AdminToken is { Length: > 0 } token && await accounts.FindByTokenHashAsync(Secrets.HashToken(token)) is null
                && await accounts.FindByEmailAsync(settings.AdminEmail) is { IsAdmin: true } admin)
            {
                await accounts.AddTokenAsync(admin.Id, Secrets.HashToken(token), "SLIPWAY_ADMIN_TOKEN");
            }

            return;
        }

        var password = Secrets.NewPassword();
        var account = await accounts.CreateAsync(settings.AdminEmail, "Admin", Secrets.HashPassword(password), isAdmin: true);
        var given = settings.AdminToken is { Length: > 0 };
        var apiToken = given ? settings.AdminToken! : Secrets.NewToken();
        await accounts.AddTokenAsync(account.Id, Secrets.HashToken(apiToken), "first account");
        Console.WriteLine($"Created the first account, {account.Email} (admin).");
        Console.WriteLine($"  password:  {password}");
        Console.WriteLine(given ? "  API token: the one in SLIPWAY_ADMIN_TOKEN" : $"  API token: {apiToken}");
        Console.WriteLine("  Shown only now; slipwayd stores only their hashes. Sign in with `bin/slipway login` or set SLIPWAY_API_KEY.");
    }
}
