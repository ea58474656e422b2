using System.Net;
using System.Text.Json;
using Slipway.Api.Tests.Infrastructure;

namespace Slipway.Api.Tests.Http;

/// <summary>Platform API v3 conventions the heroku CLI and other clients rely on.</summary>
[Collection(ApiHostCollection.Name)]
public sealed class ConventionTests(ApiHost host)
{
    [Fact]
    public async Task Get_CarriesAnETag_AndIfNoneMatchGives304()
    {
        using var first = await host.SendAsync(HttpMethod.Get, $"/apps/{host.AppName}");
        var tag = first.Headers.ETag;
        Assert.NotNull(tag);
        using var again = await host.SendAsync(HttpMethod.Get, $"/apps/{host.AppName}", configure: r => r.Headers.IfNoneMatch.Add(tag));
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        using var stale = await host.SendAsync(HttpMethod.Get, $"/apps/{host.AppName}", configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", "\"stale\""));
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
    }

    [Fact]
    public async Task EveryCall_ReportsRateLimitRemaining_AndReadingItIsFree()
    {
        using var one = await host.SendAsync(HttpMethod.Get, "/account");
        using var two = await host.SendAsync(HttpMethod.Get, "/account");
        var before = int.Parse(one.Headers.GetValues("RateLimit-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var after = int.Parse(two.Headers.GetValues("RateLimit-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(after, 0, before);
        var budget = await host.JsonAsync(HttpMethod.Get, "/account/rate-limits");
        Assert.InRange(budget.GetProperty("remaining").GetInt32(), after, 4500);
    }

    [Fact]
    public async Task AppsList_PagesWithRange_NextRangeAnd206()
    {
        for (var i = 0; i < 3; i++)
        {
            (await host.SendAsync(HttpMethod.Post, "/apps", new { name = $"page-{i}-{Guid.NewGuid().ToString("N")[..6]}" })).EnsureSuccessStatusCode();
        }

        var seen = new List<string>();
        var range = "name ..; max=2";
        for (var page = 0; page < 50 && range is not null; page++)
        {
            using var response = await host.SendAsync(HttpMethod.Get, "/apps", configure: r => r.Headers.TryAddWithoutValidation("Range", range));
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            seen.AddRange(body.RootElement.EnumerateArray().Select(a => a.GetProperty("name").GetString()!));
            range = response.Headers.TryGetValues("Next-Range", out var next) ? next.Single() : null;
            Assert.Equal(range is null ? HttpStatusCode.OK : HttpStatusCode.PartialContent, response.StatusCode);
            Assert.True(body.RootElement.GetArrayLength() <= 2);
        }

        var all = await host.JsonAsync(HttpMethod.Get, "/apps");
        Assert.Equal(all.EnumerateArray().Select(a => a.GetProperty("name").GetString()!).Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task Releases_HonourTheCliRanges_NewestFirst()
    {
        var all = await host.JsonAsync(HttpMethod.Get, $"/apps/{host.AppName}/releases");
        var newest = all.EnumerateArray().Max(r => r.GetProperty("version").GetInt32());
        foreach (var range in new[] { "version ..; order=desc,max=1", "version ..; max=15, order=desc" })
        {
            using var response = await host.SendAsync(HttpMethod.Get, $"/apps/{host.AppName}/releases", configure: r => r.Headers.TryAddWithoutValidation("Range", range));
            Assert.True(response.IsSuccessStatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(newest, body.RootElement[0].GetProperty("version").GetInt32());
        }
    }

    [Fact]
    public async Task AcceptVariants_AreVersion3_AndOtherVersionsAre406()
    {
        foreach (var accept in new[] { "application/vnd.heroku+json; version=3.sdk", "application/vnd.heroku+json; version=3.account-quotas", "application/json" })
        {
            using var ok = await host.SendAsync(HttpMethod.Get, "/account", configure: r =>
            {
                r.Headers.Accept.Clear();
                r.Headers.TryAddWithoutValidation("Accept", accept);
            });
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var old = await host.SendAsync(HttpMethod.Get, "/account", configure: r =>
        {
            r.Headers.Accept.Clear();
            r.Headers.TryAddWithoutValidation("Accept", "application/vnd.heroku+json; version=2");
        });
        Assert.Equal(HttpStatusCode.NotAcceptable, old.StatusCode);
    }

    [Fact]
    public async Task MethodOverride_LetsPostActAsPatch()
    {
        using var response = await host.SendAsync(HttpMethod.Post, $"/apps/{host.AppName}/config-vars", new { OVERRIDDEN = "yes" },
            r => r.Headers.TryAddWithoutValidation("X-Http-Method-Override", "PATCH"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("yes", (await host.JsonAsync(HttpMethod.Get, $"/apps/{host.AppName}/config-vars")).GetProperty("OVERRIDDEN").GetString());
    }

    [Fact]
    public async Task GitEndpoint_ChallengesWithBasic_AndAcceptsTheTokenAsPassword()
    {
        using var anonymous = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var challenged = await anonymous.GetAsync($"{host.ApiUrl}/{host.AppName}.git/info/refs?service=git-upload-pack");
        Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
        Assert.Equal("Basic", challenged.Headers.WwwAuthenticate.Single().Scheme);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{host.ApiUrl}/{host.AppName}.git/info/refs?service=git-upload-pack");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("heroku:" + host.Token)));
        using var advertised = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, advertised.StatusCode);
        Assert.Equal("application/x-git-upload-pack-advertisement", advertised.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("001e# service=git-upload-pack\n0000", await advertised.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
