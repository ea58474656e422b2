using System.Text.Json;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Isolation;

/// <summary>From inside a real dyno: what an untrusted app can see and reach.</summary>
[Collection(ServerCollection.Name)]
public sealed class DynoIsolationTests(SlipwayServer server) : EndToEndTest(server)
{
    private const string Probe = """
        import json, os, socket
        from http.server import BaseHTTPRequestHandler, HTTPServer

        def readable(path):
            try:
                open(path, "rb").read(1)
                return True
            except OSError:
                return False

        def connects(port):
            try:
                socket.create_connection(("127.0.0.1", int(port)), timeout=2).close()
                return True
            except OSError:
                return False

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = json.dumps({
                    "uid": os.getuid(),
                    "shadow": readable("/etc/shadow"),
                    "data_dir": os.path.exists(os.environ["DATA_DIR"]),
                    "root_entries": sorted(os.listdir("/")),
                    "api": connects(os.environ["API_PORT"]),
                    "other_dyno": connects(os.environ["OTHER_PORT"]),
                    "router": connects(os.environ["ROUTER_PORT"]),
                }).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

        HTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
        """;

    [Fact]
    public async Task Dyno_CannotReadHostSecrets_OrReachSlipwaydOrOtherDynos()
    {
        RequireSandbox();
        var other = await CreateAppAsync("other");
        Assert.Equal(0, (await Server.CliAsync("deploy", Example("node-hello"), "-a", other)).ExitCode);
        var (_, otherEnv) = await Server.GetAppAsync(other, "/env");
        var otherPort = JsonDocument.Parse(otherEnv).RootElement.GetProperty("PORT").GetString()!;

        var source = Directory.CreateTempSubdirectory("slipway-probe-").FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "Procfile"), "web: python3 probe.py\n");
        await File.WriteAllTextAsync(Path.Combine(source, "probe.py"), Probe);
        var app = await CreateAppAsync("probe");
        var set = await Server.CliAsync("config:set", $"DATA_DIR={Server.DataDirectory}", $"API_PORT={Server.ApiPort}",
            $"OTHER_PORT={otherPort}", $"ROUTER_PORT={Server.RouterPort}", "-a", app);
        Assert.Equal(0, set.ExitCode);
        var deploy = await Server.CliAsync("deploy", source, "-a", app);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());

        var (_, body) = await Server.GetAppAsync(app);
        var probe = JsonDocument.Parse(body).RootElement;
        Assert.Equal(1000, probe.GetProperty("uid").GetInt32());
        Assert.False(probe.GetProperty("shadow").GetBoolean(), "a dyno read /etc/shadow");
        Assert.False(probe.GetProperty("data_dir").GetBoolean(), "a dyno sees slipwayd's data directory");
        Assert.DoesNotContain("work", probe.GetProperty("root_entries").EnumerateArray().Select(e => e.GetString()));
        Assert.False(probe.GetProperty("api").GetBoolean(), "a dyno connected to slipwayd's API port");
        Assert.False(probe.GetProperty("other_dyno").GetBoolean(), "a dyno connected to another app's dyno");
        Assert.True(probe.GetProperty("router").GetBoolean(), "a dyno must still reach the router");
    }
}
