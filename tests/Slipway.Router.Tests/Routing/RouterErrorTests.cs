using Slipway.Router.Routing;

namespace Slipway.Router.Tests.Routing;

public sealed class RouterErrorTests
{
    [Theory]
    [InlineData("H10")]
    [InlineData("H14")]
    [InlineData("H20")]
    [InlineData("H80")]
    public void Page_NamesTheCode_AndSaysWhatToDo(string code)
    {
        var error = new[] { RouterError.AppCrashed, RouterError.NoWebDynos, RouterError.BootTimeout, RouterError.Maintenance }.Single(e => e.Code == code);
        var page = error.Page("hello.localhost");
        Assert.Equal(503, error.Status);
        Assert.Contains(code, page);
        Assert.Contains("hello.localhost", page);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(error.Advice), page);
    }

    [Fact]
    public void Page_EncodesTheHost() => Assert.DoesNotContain("<script>", RouterError.NoWebDynos.Page("<script>.localhost"));
}
