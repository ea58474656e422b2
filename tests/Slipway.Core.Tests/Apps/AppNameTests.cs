using Slipway.Core.Apps;

namespace Slipway.Core.Tests.Apps;

public sealed class AppNameTests
{
    [Theory]
    [InlineData("hello", true)]
    [InlineData("my-app-2", true)]
    [InlineData("abc", true)]
    [InlineData("ab", false)]
    [InlineData("1app", false)]
    [InlineData("app-", false)]
    [InlineData("App", false)]
    [InlineData("my_app", false)]
    [InlineData("a23456789012345678901234567890", true)]
    [InlineData("a234567890123456789012345678901", false)]
    [InlineData(null, false)]
    [InlineData("storage", false)]
    public void IsValid_FollowsHerokusPattern(string? name, bool valid) => Assert.Equal(valid, AppName.IsValid(name));

    [Fact]
    public void InvalidMessage_SaysWhatIsAllowed() => Assert.Contains("lowercase letters, digits and dashes", AppName.InvalidMessage("X"));
}
