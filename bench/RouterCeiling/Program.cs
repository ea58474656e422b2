using System.Globalization;
using System.Net;
using Slipway.Router;
using Slipway.Router.Forwarding;
using Slipway.Router.Routing;
using Slipway.RouterCeiling.Raw;
using Yarp.ReverseProxy.Forwarder;

// `RouterCeiling LISTEN_PORT DYNO_PORT [yarp|raw|hello]`: serves 127.0.0.1:LISTEN_PORT on the router's transport, with
//   yarp  (default) every request forwarded to the dyno by YARP's IHttpForwarder and the router's connection pool, as the
//         router would with no routing, balancing, logging or metrics: what the stack itself costs;
//   raw   the same through a minimal HTTP/1.1 leg on pooled sockets (Raw/): what Kestrel costs as a proxy without HttpClient;
//   hello Kestrel answering the dyno's 64-byte body itself, no upstream: the server side's floor.
// bench/router.py and bench/router_floors.py run it beside the router and nginx.
string[] modes = ["yarp", "raw", "hello"];
if (args.Length is < 2 or > 3 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var port)
    || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var dynoPort) || (args.Length == 3 && !modes.Contains(args[2])))
{
    await Console.Error.WriteLineAsync("usage: RouterCeiling LISTEN_PORT DYNO_PORT [yarp|raw|hello]");
    return 2;
}
var mode = args.Length == 3 ? args[2] : "yarp";

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.ListenLocalhost(port);
    kestrel.AddServerHeader = false;
});
builder.Logging.ClearProviders();
builder.Services.AddHttpForwarder();
builder.Services.AddSlipwayRouterTransport(port);
var app = builder.Build();

var options = new RouterOptions { Domain = "localhost" };
using var client = new HttpMessageInvoker(DynoHandler.Create(options));
switch (mode)
{
    case "hello":
        // The same bytes the bench dyno sends (bench/router.py BODY).
        var body = "Hello from Slipway! fast dyno .................................\n"u8.ToArray();
        app.Run(context =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = body.Length;
            return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
        });
        break;
    case "raw":
        var raw = new RawForwarder(new IPEndPoint(IPAddress.Loopback, dynoPort));
        app.Run(raw.ForwardAsync);
        break;
    default:
        var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        var config = new ForwarderRequestConfig { ActivityTimeout = options.IdleTimeout };
        var destination = $"http://127.0.0.1:{dynoPort}/";
        app.Run(async context => await forwarder.SendAsync(context, destination, client, config, HttpTransformer.Default));
        break;
}
await app.RunAsync();
return 0;
