using Slipway.Core.Quota;

namespace Slipway.Runtime.Quota;

public sealed record QuotaOptions
{
    public QuotaPools Pools { get; init; } = new();

    /// <summary>A free app whose web dynos get no request for this long goes to sleep (Heroku: 30 minutes).</summary>
    public TimeSpan IdleAfter { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How often usage is saved: the most a crash of slipwayd can fail to count.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(10);
}
