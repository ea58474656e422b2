using System.CommandLine;
using System.Text.Json;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Domains;

internal static class DomainsCommand
{
    public static Command Create(CliContext context)
    {
        var app = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("domains", "List an app's domains: its default one and custom ones") { app, json };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var domains = await context.Api.GetAsync(CommonOptions.AppPath(name, "/domains"), ct, "hostname ..; max=1000");
            if (parse.GetValue(json))
            {
                context.Ui.Line(ApiJson.Format(domains));
                return;
            }

            var all = domains.EnumerateArray().ToList();
            context.Ui.Header($"{name} Default Domain");
            context.Ui.Line(all.FirstOrDefault(d => Text(d, "kind") == "heroku") is { ValueKind: JsonValueKind.Object } main ? Text(main, "hostname") : "");
            var custom = all.Where(d => Text(d, "kind") == "custom").ToList();
            if (custom.Count == 0)
                return;
            context.Ui.Line();
            context.Ui.Header($"{name} Custom Domains");
            context.Ui.Columns([["Domain Name", "DNS Record Type", "DNS Target"], .. custom.Select(d => new[] { Text(d, "hostname"), "CNAME", Text(d, "cname") })]);
        });
        return command;
    }

    public static Command CreateAdd(CliContext context)
    {
        var hostname = new Argument<string>("HOSTNAME") { Description = "The domain, e.g. www.example.com" };
        var app = CommonOptions.App();
        var command = new Command("domains:add", "Add a custom domain to an app") { hostname, app };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var host = parse.GetValue(hostname)!;
            var domain = await context.Ui.ActionAsync(
                $"Adding {host} to {CommonOptions.Hex(name)}",
                () => context.Api.SendAsync(HttpMethod.Post, CommonOptions.AppPath(name, "/domains"), new { hostname = host }, ct));
            context.Ui.Line($"Configure your DNS provider to point {host} to the DNS target {Text(domain, "cname")} (a CNAME record).");
        });
        return command;
    }

    public static Command CreateRemove(CliContext context)
    {
        var hostname = new Argument<string>("HOSTNAME") { Description = "The custom domain to remove" };
        var app = CommonOptions.App();
        var command = new Command("domains:remove", "Remove a custom domain from an app") { hostname, app };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var host = parse.GetValue(hostname)!;
            await context.Ui.ActionAsync(
                $"Removing {host} from {CommonOptions.Hex(name)}",
                () => context.Api.SendAsync(HttpMethod.Delete, CommonOptions.AppPath(name, $"/domains/{PlatformClient.Escape(host)}"), null, ct));
        });
        return command;
    }

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
