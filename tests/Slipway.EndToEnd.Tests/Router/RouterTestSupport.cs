using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Router;

internal static class RouterTestSupport
{
    /// <summary>Creates an app, deploys <paramref name="source"/> to it and waits until it answers.</summary>
    public static async Task<string> DeployAsync(SlipwayServer server, string prefix, string source)
    {
        var app = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        var created = await server.CliAsync("apps:create", app);
        Assert.True(created.ExitCode == 0, created.ToString());
        var deployed = await server.CliAsync("deploy", source, "-a", app);
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        return app;
    }

    /// <summary>Scales the app's web dynos to zero and waits until the router answers for it without a dyno (the stop is asynchronous).</summary>
    public static async Task ScaleToZeroAsync(SlipwayServer server, RouterClient client, string app)
    {
        var scaled = await server.CliAsync("ps:scale", "web=0", "-a", app);
        Assert.True(scaled.ExitCode == 0, scaled.ToString());
        for (var attempt = 0; attempt < 300; attempt++)
        {
            using var response = await client.Http.GetAsync(client.AppUrl(app));
            if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{app} still answered after web=0");
    }

    /// <summary>The app's log once it contains <paramref name="text"/> (a router line is written as the request ends).</summary>
    public static async Task<string> LogContainingAsync(SlipwayServer server, string app, string text)
    {
        var output = "";
        for (var attempt = 0; attempt < 100; attempt++)
        {
            output = (await server.CliAsync("logs", "-a", app, "-n", "1000")).Output;
            if (output.Contains(text, StringComparison.Ordinal))
            {
                return output;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"The log of {app} never showed '{text}':\n{output}");
        return output;
    }
}
