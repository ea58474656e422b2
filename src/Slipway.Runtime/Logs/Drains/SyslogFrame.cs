using System.Buffers;
using System.Globalization;
using System.Text;
using Slipway.Core.Logs;

namespace Slipway.Runtime.Logs.Drains;

/// <summary>
/// Log lines as octet-counted syslog frames (RFC 6587): <c>LEN SP &lt;PRI&gt;1 TIMESTAMP HOST APP PROCID …</c>. Facilities as
/// Logplex uses them: local7 for app output, local3 for the router, local0 for the rest of the platform; severity info.
/// </summary>
public static class SyslogFrame
{
    /// <summary>
    /// Appends one frame. <paramref name="strict"/> writes RFC 5424's nil MSGID and nil STRUCTURED-DATA (<c>- -</c>), as syslog
    /// daemons expect; otherwise Logplex's HTTPS-drain shape with a single <c>-</c>, which Heroku drain receivers parse.
    /// </summary>
    public static void Append(IBufferWriter<byte> output, LogLine line, string hostname, bool strict)
    {
        var message = string.Create(CultureInfo.InvariantCulture,
            $"<{Priority(line)}>1 {LogLine.FormatTimestamp(line.Timestamp)} {hostname} {line.Source} {line.Process} {(strict ? "- - " : "- ")}{line.Message}");
        var length = Encoding.UTF8.GetByteCount(message);
        var prefix = length.ToString(CultureInfo.InvariantCulture) + " ";
        var span = output.GetSpan(prefix.Length + length);
        var written = Encoding.ASCII.GetBytes(prefix, span);
        written += Encoding.UTF8.GetBytes(message, span[written..]);
        output.Advance(written);
    }

    public static int Priority(LogLine line)
    {
        const int info = 6;
        var facility = line.Source == LogSources.App ? 23 : line.Process == LogSources.RouterProcess ? 19 : 16;
        return (facility * 8) + info;
    }
}
