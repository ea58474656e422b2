using Slipway.Core.Accounts;

namespace Slipway.Core.Tests.Accounts;

public sealed class SecretsTests
{
    [Fact]
    public void Password_IsSaltedAndVerifies()
    {
        var first = Secrets.HashPassword("hunter2");
        var second = Secrets.HashPassword("hunter2");
        Assert.NotEqual(first, second);
        Assert.DoesNotContain("hunter2", first);
        Assert.True(Secrets.VerifyPassword("hunter2", first));
        Assert.False(Secrets.VerifyPassword("hunter3", first));
        Assert.False(Secrets.VerifyPassword("hunter2", null));
        Assert.False(Secrets.VerifyPassword("hunter2", "garbage"));
    }

    [Fact]
    public void Tokens_AreRandom_AndStoredAsHashes()
    {
        var token = Secrets.NewToken();
        Assert.StartsWith("SLPW-", token);
        Assert.NotEqual(token, Secrets.NewToken());
        Assert.Equal(64, Secrets.HashToken(token).Length);
        Assert.DoesNotContain(token, Secrets.HashToken(token));
    }
}
