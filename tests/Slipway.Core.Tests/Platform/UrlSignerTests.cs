using System.Web;
using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Platform;

namespace Slipway.Core.Tests.Platform;

public sealed class UrlSignerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 21, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Verify_SignedResource_UntilItExpires()
    {
        var signer = new UrlSigner(new byte[32], _time);
        var query = HttpUtility.ParseQueryString(signer.Sign("PUT /slipway-sources/a", TimeSpan.FromHours(1)));

        Assert.True(signer.Verify("PUT /slipway-sources/a", query["expires"], query["signature"]));
        Assert.False(signer.Verify("PUT /slipway-sources/b", query["expires"], query["signature"]));
        Assert.False(signer.Verify("GET /slipway-sources/a", query["expires"], query["signature"]));

        _time.Advance(TimeSpan.FromMinutes(61));
        Assert.False(signer.Verify("PUT /slipway-sources/a", query["expires"], query["signature"]));
    }

    [Fact]
    public void Verify_OtherKeyOrTamperedExpiry_IsRefused()
    {
        var signer = new UrlSigner(new byte[32], _time);
        var query = HttpUtility.ParseQueryString(signer.Sign("r", TimeSpan.FromHours(1)));
        Assert.False(new UrlSigner(Enumerable.Repeat((byte)1, 32).ToArray(), _time).Verify("r", query["expires"], query["signature"]));
        Assert.False(signer.Verify("r", (long.Parse(query["expires"]!) + 3600).ToString(), query["signature"]));
        Assert.False(signer.Verify("r", null, null));
    }
}
