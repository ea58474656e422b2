using System.Text.RegularExpressions;

namespace Slipway.Cli.Commands.Ps;

/// <summary>
/// One <c>ps:scale</c> argument: <c>web=2</c>, <c>web+1</c>, <c>worker-1</c>, <c>web=1:standard-2x</c> or <c>web:standard-2x</c>.
/// The quantity stays a string, as the Platform API takes it (<c>"2"</c>, <c>"+1"</c>, <c>"-1"</c>).
/// </summary>
internal sealed partial record ScaleChange(string Type, string? Quantity, string? Size)
{
    public const string Usage = "Usage: slipway ps:scale TYPE=QUANTITY[:SIZE] [TYPE+N|TYPE-N ...], e.g. web=2 worker+1 web=1:standard-2x";

    public static ScaleChange Parse(string argument)
    {
        var match = Pattern().Match(argument);
        if (!match.Success || (!match.Groups["quantity"].Success && !match.Groups["size"].Success))
            throw new UsageException($"'{argument}' is not a scale change. {Usage}");
        string? quantity = null;
        if (match.Groups["quantity"].Success)
        {
            var digits = match.Groups["quantity"].Value.TrimStart('0');
            digits = digits.Length == 0 ? "0" : digits;
            if (digits.Length > 4)
                throw new UsageException($"'{argument}' asks for too many dynos. {Usage}");
            quantity = match.Groups["op"].Value == "=" ? digits : match.Groups["op"].Value + digits;
        }
        return new ScaleChange(
            match.Groups["type"].Value,
            quantity,
            match.Groups["size"].Success ? match.Groups["size"].Value : null);
    }

    public static IReadOnlyList<ScaleChange> ParseAll(IEnumerable<string> arguments) => [.. arguments.Select(Parse)];

    /// <summary>The <c>updates</c> entry for <c>PATCH /apps/{app}/formation</c>.</summary>
    public Dictionary<string, string> ToUpdate()
    {
        var update = new Dictionary<string, string> { ["type"] = Type };
        if (Quantity is not null) update["quantity"] = Quantity;
        if (Size is not null) update["size"] = Size;
        return update;
    }

    [GeneratedRegex(@"^(?<type>[A-Za-z0-9_]+)(?:(?<op>[=+-])(?<quantity>[0-9]+))?(?::(?<size>[A-Za-z0-9_-]+))?$")]
    private static partial Regex Pattern();
}
