using Slipway.Cli.Commands.Ps;

namespace Slipway.Cli.Tests.Commands.Ps;

public class ScaleChangeTests
{
    [Theory]
    [InlineData("web=2", "web", "2", null)]
    [InlineData("web+1", "web", "+1", null)]
    [InlineData("worker-1", "worker", "-1", null)]
    [InlineData("web=1:standard-2x", "web", "1", "standard-2x")]
    [InlineData("web:Performance-M", "web", null, "Performance-M")]
    [InlineData("clock_1=0", "clock_1", "0", null)]
    [InlineData("web=007", "web", "7", null)]
    public void Parse_ValidArguments(string argument, string type, string? quantity, string? size) =>
        Assert.Equal(new ScaleChange(type, quantity, size), ScaleChange.Parse(argument));

    [Theory]
    [InlineData("web")]
    [InlineData("web=")]
    [InlineData("web=two")]
    [InlineData("=2")]
    [InlineData("web=-1")]
    [InlineData("web=2:")]
    [InlineData("web 2")]
    [InlineData("web=99999")]
    public void Parse_BadArguments_AreUsageErrors(string argument)
    {
        var error = Assert.Throws<UsageException>(() => ScaleChange.Parse(argument));
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains(argument, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToUpdate_SendsQuantityAsString()
    {
        var update = ScaleChange.Parse("web=2:standard-1x").ToUpdate();
        Assert.Equal(new Dictionary<string, string> { ["type"] = "web", ["quantity"] = "2", ["size"] = "standard-1x" }, update);
        Assert.False(ScaleChange.Parse("web:standard-1x").ToUpdate().ContainsKey("quantity"));
    }
}
