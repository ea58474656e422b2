using System.CommandLine;
using System.Globalization;
using Slipway.Cli.Api;
using Slipway.Cli.Commands.Ps;

namespace Slipway.Cli.Commands.Quota;

/// <summary><c>slipway quota</c>: the month's dyno hours, the burn rate, when the pool runs out, and apps kept awake by pingers.</summary>
internal static class QuotaCommand
{
    public static Command Create(CliContext context)
    {
        var eco = new Option<bool>("--eco") { Description = "Show the eco pool instead of the free one" };
        var json = CommonOptions.Json();
        var command = new Command("quota", "Show this month's free dyno hours: used, remaining, burn rate and projected run-out") { eco, json };
        command.SetAction(async (parse, ct) =>
        {
            var quota = await context.Api.GetAsync($"accounts/~/actions/get-quota?pool={(parse.GetValue(eco) ? "eco" : "free")}", ct);
            if (parse.GetValue(json))
            {
                context.Ui.Line(ApiJson.Format(quota));
                return;
            }

            var total = quota.GetProperty("account_quota").GetDouble();
            var used = quota.GetProperty("quota_used").GetDouble();
            context.Ui.Header($"{(parse.GetValue(eco) ? "Eco" : "Free")} dyno hours, this month");
            context.Ui.KeyValues(
            [
                new("Used", $"{QuotaLines.Hours(used)} of {QuotaLines.Hours(total)} ({Math.Floor(used / total * 100)}%)"),
                new("Remaining", QuotaLines.Hours(Math.Max(0, total - used))),
                new("Burn rate", $"{quota.GetProperty("hours_per_day").GetDouble().ToString("0.#", CultureInfo.InvariantCulture)} h/day"),
                new("Runs out", quota.GetProperty("runs_out_at").GetString() is { } at ? $"{at} at this rate" : "not this month at this rate"),
                new("Renews", quota.GetProperty("renews_at").GetString() ?? ""),
            ]);
            var apps = quota.GetProperty("apps").EnumerateArray().ToList();
            if (apps.Count > 0)
            {
                context.Ui.Line();
                context.Ui.Columns(apps.Select(a => new[] { a.GetProperty("app_name").GetString()!, QuotaLines.Hours(a.GetProperty("quota_used").GetDouble()) }).ToList());
            }

            foreach (var pinged in apps.Where(a => a.GetProperty("pinged").GetBoolean()))
            {
                context.Ui.Line();
                context.Ui.Warn($"{pinged.GetProperty("app_name").GetString()} receives requests at a steady interval just under the idle timeout, as an uptime pinger sends them: " +
                    "it never sleeps and costs 24 dyno hours a day (about 720 a month, more than the pool). Stop the pinger or move the app to a paid size.");
            }
        });
        return command;
    }
}
