using System.Text;
using Slipway.Core.Logs;

namespace Slipway.Core.Tests.Logs;

public sealed class LogLineTests
{
    [Fact]
    public void ToString_IsLogplexFormat_WithMicrosecondsInUtc()
    {
        var line = new LogLine(new DateTimeOffset(2026, 11, 29, 22, 0, 0, TimeSpan.FromHours(1)).AddTicks(1234560), "heroku", "web.1", "State changed from starting to up");
        Assert.Equal("2026-11-29T21:00:00.123456+00:00 heroku[web.1]: State changed from starting to up", line.ToString());
    }

    [Theory]
    [InlineData("State changed from starting to up")]
    [InlineData("héllo wörld ✓ 日本語")]
    [InlineData("")]
    public void FormatUtf8_WritesTheSameBytesAsToString(string message)
    {
        var line = new LogLine(new DateTimeOffset(2026, 11, 29, 22, 0, 0, TimeSpan.FromHours(1)).AddTicks(1234560), "app", "wörker.1", message);
        var buffer = new byte[line.MaxUtf8Length];
        var written = line.FormatUtf8(buffer);
        Assert.Equal(line.ToString(), Encoding.UTF8.GetString(buffer, 0, written));
    }
}
