using BenchmarkDotNet.Attributes;
using Slipway.Core.Logs;

namespace Slipway.Benchmarks.Core;

/// <summary>Formatting one Logplex line: done for every line a dyno, the router or the platform writes.</summary>
[MemoryDiagnoser]
public class LogLineBenchmarks
{
    private readonly LogLine _line = new(new DateTimeOffset(2026, 11, 29, 21, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), LogSources.App, "web.1",
        "GET /profile/42 200 12ms - Mozilla/5.0 (X11; Linux x86_64) a typical request log line of about a hundred bytes");

    [Benchmark]
    public string Format() => _line.ToString();
}
