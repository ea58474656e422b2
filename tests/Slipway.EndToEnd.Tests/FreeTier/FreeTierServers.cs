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
        File.WriteAllText(Path.Combine(source, "Procfile"), "web: python3 echo.py\n");
        File.WriteAllText(Path.Combine(source, "echo.py"), """
            import os
            from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
            class Handler(BaseHTTPRequestHandler):
                def reply(self):
                    length = int(self.headers.get("Content-Length") or 0)
                    body = self.rfile.read(length) if length else b""
                    out = self.command.encode() + b" " + body
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(out)))
                    self.end_headers()
                    self.wfile.write(out)
                do_GET = do_POST = reply
                def log_message(self, *args):
                    pass
            ThreadingHTTPServer.request_queue_size = 128  # python's default backlog of 5 refuses a burst of requests
            ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
            """);
        return source;
    }
}
