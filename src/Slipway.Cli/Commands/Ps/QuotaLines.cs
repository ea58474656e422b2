using System.Text.Json;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Ps;

/// <summary>The dyno-hour lines <c>heroku ps</c> printed above the dynos of a free (or eco) app.</summary>
internal static class QuotaLines
{
    public static async Task PrintAsync(CliContext context, string app, CancellationToken ct)
    {
        string? tier;
        JsonElement quota;
        try
        {
            var info = await context.Api.GetAsync(CommonOptions.AppPath(app), ct);
            tier = info.TryGetProperty("process_tier", out var t) ? t.GetString() : null;
            if (tier is not ("free" or "eco"))
            {
                return;
            }

            quota = await context.Api.GetAsync($"accounts/~/actions/get-quota?pool={tier}", ct);
        }
        catch (ApiException)
        {
            return; // as heroku ps does: no quota, no lines
        }

        var total = quota.GetProperty("account_quota").GetDouble();
        var used = quota.GetProperty("quota_used").GetDouble();
        var appUsed = quota.GetProperty("apps").EnumerateArray()
            .Where(a => a.GetProperty("app_name").GetString() == app).Select(a => a.GetProperty("quota_used").GetDouble()).FirstOrDefault();
        var label = tier == "eco" ? "Eco" : "Free";
        var remaining = Math.Max(0, total - used);
        context.Ui.Line($"{label} dyno hours quota remaining this month: {Hours(remaining)} ({Math.Floor(remaining / total * 100)}%)");
        context.Ui.Line($"{label} dyno usage for this app: {Hours(appUsed)} ({Math.Floor(appUsed * 100 / total)}%)");
        context.Ui.Line("For more information on dyno sleeping and how to upgrade, see:");
        context.Ui.Line("https://devcenter.heroku.com/articles/dyno-sleeping");
        context.Ui.Line();
    }

    public static string Hours(double seconds)
    {
        var minutes = (long)(seconds / 60);
        return $"{minutes / 60}h {minutes % 60}m";
    }
}
