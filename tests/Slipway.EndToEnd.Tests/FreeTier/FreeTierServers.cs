using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.FreeTier;

/// <summary>A slipwayd whose free apps sleep after 2 seconds without traffic.</summary>
public sealed class ShortIdleServer : SlipwayServer
{
    protected override IEnumerable<string> ExtraArguments => ["--idle-after-seconds", "2", "--quota-checkpoint-seconds", "1"];
}

/// <summary>A slipwayd whose free pool is 30 seconds, saved every second (room for a slow boot on a busy machine).</summary>
public sealed class TinyQuotaServer : SlipwayServer
{
    protected override IEnumerable<string> ExtraArguments => ["--free-quota-hours", "0.0083333", "--quota-checkpoint-seconds", "1"];
}

internal static class EchoApp
{
    /// <summary>Echoes the method and body of each request, so a wake can be shown to lose nothing.</summary>
    public static string Create()
    {
        var source = Directory.CreateTempSubdirectory("slipway-echo-").FullName;
        File.WriteAllText(Path.Combine(source, "Procfile"), "web: node echo.js\n");
        File.WriteAllText(Path.Combine(source, "echo.js"), """
            const http = require("http");
            http.createServer((req, res) => {
              const chunks = [];
              req.on("data", (c) => chunks.push(c));
              req.on("end", () => {
                const out = Buffer.concat([Buffer.from(req.method + " "), ...chunks]);
                res.writeHead(200, { "Content-Length": out.length });
                res.end(out);
              });
            }).listen(process.env.PORT);
            """);
        return source;
    }
}
