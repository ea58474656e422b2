using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Slipway.Api.Http;

/// <summary>
/// Heroku's list ranges: <c>Range: name ..; max=10, order=desc</c>, where a start of <c>]value</c> excludes the value itself.
/// A page that is cut short answers 206 with <c>Next-Range</c>; the last page never carries one.
/// </summary>
public sealed partial record RangeHeader(string Field, string? Start, bool StartExclusive, int Max, bool Descending)
{
    public const int DefaultMax = 200;
    public const int MaxMax = 1000;

    public static RangeHeader Parse(string header, string defaultField, IReadOnlyCollection<string> fields)
    {
        var match = Pattern().Match(header);
        if (!match.Success)
        {
            return new RangeHeader(defaultField, null, false, DefaultMax, false);
        }

        var field = match.Groups["field"].Value;
        if (!fields.Contains(field))
        {
            throw new Core.Errors.PlatformException(416, "requested_range_not_satisfiable",
                $"Cannot range by {field}: use one of {string.Join(", ", fields)}.");
        }

        var start = match.Groups["start"].Value.Trim();
        var exclusive = start.StartsWith(']');
        start = start.TrimStart(']');
        var options = match.Groups["options"].Value;
        var max = MaxPattern().Match(options) is { Success: true } m
            ? Math.Clamp(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), 1, MaxMax)
            : DefaultMax;
        return new RangeHeader(field, start.Length == 0 ? null : start, exclusive, max, options.Contains("order=desc", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Sorts and cuts <paramref name="items"/>, setting the range headers; the status is 206 when more remain.</summary>
    public (IReadOnlyList<T> Page, int Status) Apply<T>(HttpContext context, IEnumerable<T> items, Func<T, string> key, IReadOnlyCollection<string> fields)
    {
        var ordered = Descending ? items.OrderByDescending(key, StringComparer.Ordinal) : items.OrderBy(key, StringComparer.Ordinal);
        var filtered = Start is null
            ? ordered.AsEnumerable()
            : ordered.Where(i =>
            {
                var c = string.CompareOrdinal(key(i), Start) * (Descending ? -1 : 1);
                return StartExclusive ? c > 0 : c >= 0;
            });
        var window = filtered.Take(Max + 1).ToList();
        context.Response.Headers.AcceptRanges = string.Join(", ", fields);
        var page = window.Take(Max).ToList();
        if (page.Count > 0)
        {
            context.Response.Headers.ContentRange = $"{Field} {key(page[0])}..{key(page[^1])}";
        }

        if (window.Count <= Max)
        {
            return (page, 200);
        }

        context.Response.Headers["Next-Range"] = $"{Field} ]{key(page[^1])}..; max={Max}{(Descending ? ", order=desc" : "")}";
        return (page, 206);
    }

    [GeneratedRegex(@"^\s*(?<field>[a-z_]+)\s+(?<start>\]?[^.;]*)\.\.(?<end>[^;]*)(;(?<options>.*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"max=(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex MaxPattern();
}
