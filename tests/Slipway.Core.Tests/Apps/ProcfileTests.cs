using Slipway.Core.Apps;

namespace Slipway.Core.Tests.Apps;

public sealed class ProcfileTests
{
    [Fact]
    public void Parse_TypesAndCommands_KeepsFileOrder()
    {
        var types = Procfile.Parse("web: node server.js\n# comment\n\nworker:   python3 worker.py --queue=a:b\r\nrelease: ./migrate\n");
        Assert.Equal(["web", "worker", "release"], types.Select(t => t.Key));
        Assert.Equal("python3 worker.py --queue=a:b", types[1].Value);
    }

    [Theory]
    [InlineData("web node server.js", 1)]
    [InlineData("web:", 1)]
    [InlineData("web: ok\nbad type: x", 2)]
    [InlineData(": missing type", 1)]
    public void Parse_MalformedLine_SaysWhichLineAndTheExpectedForm(string text, int line)
    {
        var error = Assert.Throws<ProcfileException>(() => Procfile.Parse(text));
        Assert.Equal(line, error.Line);
        Assert.Contains($"line {line}", error.Message);
        Assert.Contains("type: command", error.Message);
    }

    [Fact]
    public void Parse_DuplicateType_IsRefused()
    {
        var error = Assert.Throws<ProcfileException>(() => Procfile.Parse("web: a\nweb: b"));
        Assert.Contains("second time", error.Message);
    }

    [Theory]
    [InlineData("web", true)]
    [InlineData("worker-2_x", true)]
    [InlineData("has space", false)]
    [InlineData("", false)]
    public void IsValidProcessType_FollowsTheSchemaPattern(string type, bool valid) => Assert.Equal(valid, Procfile.IsValidProcessType(type));
}
