using Microsoft.AspNetCore.Http;

namespace Slipway.Router.Routing;

/// <summary>Heroku's fixed router limits.</summary>
public static class RouterLimits
{
    /// <summary>H25: request or response headers larger than this are refused with 502.</summary>
    public const int MaxHeaderKilobytes = 512;

    /// <summary>Kestrel's own limit sits above ours so that oversized headers reach the router and get an H25 page, not a bare 431.</summary>
    public const int ServerHeaderBytes = 2 * MaxHeaderKilobytes * 1024;

    /// <summary>True when the request's headers (names, values and the ": \r\n" around them) pass the H25 limit.</summary>
    public static bool HeadersTooLarge(IHeaderDictionary headers)
    {
        long total = 0;
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                total += name.Length + (value?.Length ?? 0) + 4;
            }
        }

        return total > MaxHeaderKilobytes * 1024;
    }
}
