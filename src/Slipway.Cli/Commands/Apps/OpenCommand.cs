using System.CommandLine;
using System.Diagnostics;
using Slipway.Cli.Api;

namespace Slipway.Cli.Commands.Apps;

internal static class OpenCommand
{
    public static Command Create(CliContext context)
    {
        var app = CommonOptions.App();
        var path = new Argument<string?>("PATH") { Arity = ArgumentArity.ZeroOrOne, Description = "Path to open, e.g. /admin" };
        var command = new Command("open", "Open the app's web URL in a browser (or print it)") { path, app };
        command.SetAction(async (parse, ct) =>
        {
            var name = await context.ResolveAppAsync(parse.GetValue(app), ct);
            var info = await context.Api.GetAsync<AppResource>(CommonOptions.AppPath(name), ct);
            var url = (info.WebUrl ?? "").TrimEnd('/') + "/" + (parse.GetValue(path) ?? "").TrimStart('/');
            context.Ui.Line(url);
            if (context.Host.CanLaunchBrowser && HasDisplay(context))
                TryLaunch(url);
        });
        return command;
    }

    private static bool HasDisplay(CliContext context) =>
        OperatingSystem.IsMacOS() || OperatingSystem.IsWindows() ||
        !string.IsNullOrEmpty(context.Env("DISPLAY")) || !string.IsNullOrEmpty(context.Env("WAYLAND_DISPLAY"));

    private static void TryLaunch(string url)
    {
        var opener = OperatingSystem.IsMacOS() ? "open" : OperatingSystem.IsWindows() ? "explorer" : "xdg-open";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(opener, url) { UseShellExecute = false });
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No opener installed; the printed URL is enough.
        }
    }
}
