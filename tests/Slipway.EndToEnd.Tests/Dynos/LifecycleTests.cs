using System.Net;
using System.Text.Json;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Dynos;

/// <summary>Dyno lifecycle rules on real sandboxed dynos: one-offs, release phase, crashes, the ephemeral filesystem.</summary>
[Collection(ServerCollection.Name)]
public sealed class LifecycleTests(SlipwayServer server) : EndToEndTest(server)
{
    [Fact]
    public async Task Run_StreamsOutputAndStdin_AndEndsWithTheCommandsExitStatus()
    {
        RequireSandbox();
        var app = await CreateAppAsync("run");
        Assert.Equal(0, (await Server.CliAsync("deploy", Example("node-hello"), "-a", app)).ExitCode);

        var run = await Server.CliWithInputAsync("from stdin\n", "run", "-a", app, "--", "echo on $DYNO; cat; exit 3");
        Assert.Equal(3, run.ExitCode);
        Assert.Matches(@"on run\.\d{4}", run.Output);
        Assert.Contains("from stdin", run.Output);

        var ok = await Server.CliAsync("run", "-a", app, "--", "node -e 'console.log(process.env.HOME)'");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("/app", ok.Output);

        // One-off dynos are never restarted and leave no dyno behind.
        var ps = await Server.CliAsync("ps", "--json", "-a", app);
        Assert.DoesNotContain("\"run\"", ps.Output);
    }

    [Fact]
    public async Task ReleasePhase_GatesTheRelease_AndAFailureKeepsTheCurrentOneServing()
    {
        RequireSandbox();
        var app = await CreateAppAsync("phase");
        var source = CopyOf(Example("node-hello"));
        await File.WriteAllTextAsync(Path.Combine(source, "Procfile"), "web: node server.js\nrelease: echo migrating on $DYNO\n");
        var deploy = await Server.CliAsync("deploy", source, "-a", app);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains("Running release command", deploy.Output);
        Assert.Matches(@"migrating on release\.\d{4}", deploy.Output);
        Assert.Contains("Released v2", deploy.Output);
        Assert.Equal(HttpStatusCode.OK, (await Server.GetAppAsync(app)).Status);

        await File.WriteAllTextAsync(Path.Combine(source, "Procfile"), "web: node server.js\nrelease: echo cannot migrate; exit 4\n");
        var failing = await Server.CliAsync("deploy", source, "-a", app);
        Assert.Contains("Release command failed (exit status 4)", failing.Output);
        var releases = await Server.CliAsync("releases", "--json", "-a", app);
        var list = JsonDocument.Parse(releases.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal("failed", list.Single(r => r.GetProperty("version").GetInt32() == 3).GetProperty("status").GetString());
        Assert.True(list.Single(r => r.GetProperty("version").GetInt32() == 2).GetProperty("current").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await Server.GetAppAsync(app)).Status);

        // The release process type is not part of the formation.
        var formation = await Server.CliAsync("ps:scale", "-a", app);
        Assert.DoesNotContain("release", formation.Output);
    }

    [Fact]
    public async Task ConfigChange_RunsTheReleasePhase_AndAFailureKeepsTheOldConfigServing()
    {
        RequireSandbox();
        var app = await CreateAppAsync("cfgphase");
        var source = CopyOf(Example("node-hello"));
        await File.WriteAllTextAsync(Path.Combine(source, "Procfile"), "web: node server.js\nrelease: test \"$GREETING\" != broken\n");
        Assert.Equal(0, (await Server.CliAsync("deploy", source, "-a", app)).ExitCode);

        Assert.Equal(0, (await Server.CliAsync("config:set", "GREETING=broken", "-a", app)).ExitCode);
        await WaitForReleaseStatusAsync(app, version: 3, "failed");
        var (_, env) = await Server.GetAppAsync(app, "/env");
        Assert.DoesNotContain("broken", env);

        Assert.Equal(0, (await Server.CliAsync("config:set", "GREETING=fine", "-a", app)).ExitCode);
        await WaitForReleaseStatusAsync(app, version: 4, "succeeded");
        (_, env) = await Server.GetAppAsync(app, "/env", b => b.Contains("fine"));
        Assert.Contains("\"GREETING\":\"fine\"", env);
    }

    private async Task WaitForReleaseStatusAsync(string app, int version, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            last = (await Server.CliAsync("releases", "--json", "-a", app)).Output;
            var release = JsonDocument.Parse(last).RootElement.EnumerateArray().FirstOrDefault(r => r.GetProperty("version").GetInt32() == version);
            if (release.ValueKind == JsonValueKind.Object && release.GetProperty("status").GetString() == status)
            {
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"v{version} of {app} never became {status}: {last}");
    }

    [Fact]
    public async Task Writes_AreReported_ThenGoneAfterARestart()
    {
        RequireSandbox();
        var app = await CreateAppAsync("writes");
        var source = Directory.CreateTempSubdirectory("slipway-writer-").FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "Procfile"), "web: python3 writer.py\n");
        await File.WriteAllTextAsync(Path.Combine(source, "writer.py"), """
            import os
            from http.server import BaseHTTPRequestHandler, HTTPServer
            class Handler(BaseHTTPRequestHandler):
                def do_GET(self):
                    if self.path == "/write":
                        os.makedirs("/app/assets/profilepictures", exist_ok=True)
                        for i in range(3):
                            with open(f"/app/assets/profilepictures/{i}.png", "wb") as f:
                                f.write(b"x" * 1000)
                    body = str(sorted(os.listdir("/app/assets/profilepictures")) if os.path.isdir("/app/assets/profilepictures") else []).encode()
                    self.send_response(200)
                    self.end_headers()
                    self.wfile.write(body)
            HTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
            """);
        Assert.Equal(0, (await Server.CliAsync("deploy", source, "-a", app)).ExitCode);
        var (_, written) = await Server.GetAppAsync(app, "/write");
        Assert.Contains("2.png", written);

        var writes = await Server.CliAsync("ps:writes", "-a", app);
        Assert.True(writes.ExitCode == 0, writes.ToString());
        Assert.Contains("3 files", writes.Output);
        Assert.Contains("/app/assets/profilepictures", writes.Output);

        Assert.Equal(0, (await Server.CliAsync("ps:restart", "-a", app)).ExitCode);
        var (_, after) = await Server.GetAppAsync(app, "/", body => body == "[]");
        Assert.Equal("[]", after);
    }

    [Fact]
    public async Task CrashingDyno_IsRestarted_ThenShownCrashedWhileBackingOff()
    {
        RequireSandbox();
        var app = await CreateAppAsync("crash");
        var source = Directory.CreateTempSubdirectory("slipway-crasher-").FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "Procfile"), "worker: echo started; exit 2\nweb: node server.js\n");
        File.Copy(Path.Combine(Example("node-hello"), "server.js"), Path.Combine(source, "server.js"));
        Assert.Equal(0, (await Server.CliAsync("deploy", source, "-a", app)).ExitCode);
        Assert.Equal(0, (await Server.CliAsync("ps:scale", "worker=1", "-a", app)).ExitCode);

        string output = "";
        // web.1 may still be booting node when the worker first shows crashed: wait for both.
        for (var attempt = 0; attempt < 300 && !(output.Contains("worker.1: crashed") && output.Contains("web.1: up")); attempt++)
        {
            await Task.Delay(100);
            output = (await Server.CliAsync("ps", "-a", app)).Output;
        }

        Assert.Contains("worker.1: crashed", output);
        Assert.Contains("web.1: up", output);
    }

    [Fact]
    public async Task MemoryOverQuota_LogsR14_AndTwiceTheQuota_IsKilledWithR15()
    {
        RequireSandbox();
        var app = await CreateAppAsync("hog");
        var source = Directory.CreateTempSubdirectory("slipway-hog-").FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "Procfile"), "web: python3 hog.py\n");
        await File.WriteAllTextAsync(Path.Combine(source, "hog.py"), """
            import os, time
            from http.server import BaseHTTPRequestHandler, HTTPServer
            held = []
            class Handler(BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(200)
                    self.end_headers()
                    self.wfile.write(b"ok")
                    if self.path == "/hog":
                        held.append(b"x" * (700 * 1024 * 1024))  # over the 512 MB quota: R14
                        time.sleep(4)
                        held.append(b"x" * (700 * 1024 * 1024))  # past twice the quota: R15
            HTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
            """);
        Assert.Equal(0, (await Server.CliAsync("deploy", source, "-a", app)).ExitCode);
        await Server.GetAppAsync(app, "/hog");

        var logs = "";
        for (var attempt = 0; attempt < 200 && !logs.Contains("Error R15"); attempt++)
        {
            await Task.Delay(100);
            logs = (await Server.CliAsync("logs", "-n", "300", "-a", app)).Output;
        }

        Assert.Matches(@"heroku\[web\.1\]: Process running mem=\d+M\(\d+\.\d%\)", logs);
        Assert.Contains("heroku[web.1]: Error R14 (Memory quota exceeded)", logs);
        Assert.Contains("heroku[web.1]: Error R15 (Memory quota vastly exceeded)", logs);
        Assert.Contains("heroku[web.1]: Process exited with status 137", logs);
    }

    private static string CopyOf(string directory)
    {
        var copy = Directory.CreateTempSubdirectory("slipway-copy-").FullName;
        foreach (var file in Directory.GetFiles(directory))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }
}
