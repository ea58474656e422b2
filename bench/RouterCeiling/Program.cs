using System.Globalization;
using Slipway.Router;
using Slipway.Router.Forwarding;
using Slipway.Router.Routing;
using Yarp.ReverseProxy.Forwarder;

// `RouterCeiling LISTEN_PORT DYNO_PORT`: forwards every request on 127.0.0.1:LISTEN_PORT to the dyno, as the router would with
// no routing, balancing, logging or metrics. bench/router.py runs it beside the router to show what the stack itself costs.
if (args.Length != 2 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var port) || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var dynoPort))
{
    await Console.Error.WriteLineAsync("usage: RouterCeiling LISTEN_PORT DYNO_PORT");
    return 2;
}

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

var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
var options = new RouterOptions { Domain = "localhost" };
using var client = new HttpMessageInvoker(DynoHandler.Create(options));
var config = new ForwarderRequestConfig { ActivityTimeout = options.IdleTimeout };
var destination = $"http://127.0.0.1:{dynoPort}/";
app.Run(async context => await forwarder.SendAsync(context, destination, client, config, HttpTransformer.Default));
await app.RunAsync();
return 0;
