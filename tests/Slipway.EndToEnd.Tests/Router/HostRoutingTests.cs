using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Slipway.EndToEnd.Tests.Infrastructure;

namespace Slipway.EndToEnd.Tests.Router;

/// <summary>Which app a request reaches: <c>{app}.{domain}</c>, custom domains added through the API, and nothing else.</summary>
[Collection(ShortTimeoutServer.Collection)]
public sealed class HostRoutingTests(ShortTimeoutServer server) : EndToEndTest(server)
{
    [Fact]
    public async Task CustomDomain_ReachesItsApp_WhateverTheCaseAndPort_UntilRemoved()
    {
        RequireSandbox();
        var app = await server.SharedProbeAsync();
        var hostname = $"www.shop-{Guid.NewGuid().ToString("N")[..6]}.test";
        using var client = new RouterClient(Server);
        using var api = Api();

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, hostname)).Status);

        using var added = await api.PostAsJsonAsync($"/apps/{app}/domains", new { hostname });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var domainId = JsonDocument.Parse(await added.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        Assert.Equal((HttpStatusCode.OK, "ok web.1"), await GetAsync(client, hostname));
        Assert.Equal((HttpStatusCode.OK, "ok web.1"), await GetAsync(client, hostname.ToUpperInvariant() + ":4321"));

        using var removed = await api.DeleteAsync($"/apps/{app}/domains/{domainId}");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, hostname)).Status);
    }

    [Fact]
    public async Task UnknownHost_GetsA404PageThatSaysWhatToDo()
    {
        RequireSandbox();
        using var client = new RouterClient(Server);
        var (status, body) = await GetAsync(client, "no-such-app-here.localhost");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("No app is served at <code>no-such-app-here.localhost</code>", body);
        Assert.Contains("slipway apps:create", body);
    }

    [Fact]
    public async Task NewAndRenamedApps_AreRoutedAtOnce_WithoutWaitingForTheirReconcile()
    {
        RequireSandbox();
        using var client = new RouterClient(Server);
        using var api = Api();
        var name = $"fresh-{Guid.NewGuid().ToString("N")[..8]}";

        // No dynos yet: H14's "Application error", not "No such app", from the moment the API answered.
        using var created = await api.PostAsJsonAsync("/apps", new { name });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var (status, body) = await GetAsync(client, $"{name}.localhost");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("Application error", body);

        var renamed = name + "-b";
        using var patched = await api.PatchAsJsonAsync($"/apps/{name}", new { name = renamed });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync(client, $"{renamed}.localhost")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, $"{name}.localhost")).Status);
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(RouterClient client, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, client.Url("127.0.0.1"));
        request.Headers.Host = host;
        using var response = await client.Http.SendAsync(request);
        return (response.StatusCode, (await response.Content.ReadAsStringAsync()).Trim());
    }
}
