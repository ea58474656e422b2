using Microsoft.AspNetCore.Http;
using Slipway.Api.Auth;
using Slipway.Core.Accounts;
using Slipway.Core.Apps;
using Slipway.Core.Errors;
using Slipway.Data.Apps;

namespace Slipway.Api.Endpoints;

internal static class AppLookup
{
    /// <summary>The caller's app by id or name. Another account's app is 404, exactly like a missing one, so names do not leak.</summary>
    public static async Task<(App App, Account Account)> OwnAppAsync(this HttpContext context, AppRepository apps, string idOrName)
    {
        var account = Authentication.AccountOf(context);
        var app = await apps.FindAsync(idOrName, context.RequestAborted);
        if (app is null || app.OwnerId != account.Id)
        {
            throw PlatformException.NotFound("Couldn't find that app.");
        }

        return (app, account);
    }
}
