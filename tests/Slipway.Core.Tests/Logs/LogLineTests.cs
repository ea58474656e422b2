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
}
