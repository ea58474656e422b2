namespace Slipway.Cli.Tests.Infrastructure;

public sealed class FixedTimeProvider(DateTimeOffset now, TimeZoneInfo zone) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();

    public override TimeZoneInfo LocalTimeZone => zone;

    public static TimeZoneInfo Zone(string id, TimeSpan offset) =>
        TimeZoneInfo.CreateCustomTimeZone(id, offset, id, id);
}
