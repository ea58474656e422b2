using Slipway.Core.Logs;

namespace Slipway.Data.Logs;

/// <summary>A log line with its place in its app's log: sequences start at 1 and grow by one per line, across restarts.</summary>
public sealed record LogEntry(string AppId, long Sequence, LogLine Line);
