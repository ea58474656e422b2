using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Router.Hosting;

namespace Slipway.Router.Tests.Hosting;

public sealed class RouterTransportTests
{
    [Fact]
    public void CanBind_TheRouterPort_OnEitherLoopback()
    {
        var transport = new RouterTransport(8080, NullLoggerFactory.Instance);
        Assert.True(transport.CanBind(new IPEndPoint(IPAddress.Loopback, 8080)));
        Assert.True(transport.CanBind(new IPEndPoint(IPAddress.IPv6Loopback, 8080)));
    }

    [Fact]
    public void CanBind_NoOtherPortOrSocket_TheyKeepTheDefaultTransport()
    {
        var transport = new RouterTransport(8080, NullLoggerFactory.Instance);
        Assert.False(transport.CanBind(new IPEndPoint(IPAddress.Loopback, 5000)));
        Assert.False(transport.CanBind(new UnixDomainSocketEndPoint("/tmp/slipway-router-transport-test.sock")));
    }

    [Fact]
    public async Task Kestrel_ServesTheRouterPortThroughIt_AndEveryOtherPortAsBefore()
    {
        var (routerPort, apiPort) = (FreePort(), FreePort());
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenLocalhost(routerPort);
            kestrel.ListenLocalhost(apiPort);
        });
        builder.Services.AddSlipwayRouterTransport(routerPort);
        await using var app = builder.Build();
        app.Run(context => context.Response.WriteAsync(context.Connection.LocalPort.ToString(CultureInfo.InvariantCulture)));
        await app.StartAsync(TestContext.Current.CancellationToken);

        using var http = new HttpClient();
        foreach (var port in new[] { routerPort, apiPort, routerPort })
        {
            Assert.Equal(port.ToString(CultureInfo.InvariantCulture), await http.GetStringAsync($"http://127.0.0.1:{port}/", TestContext.Current.CancellationToken));
        }

        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
