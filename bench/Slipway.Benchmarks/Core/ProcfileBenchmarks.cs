using BenchmarkDotNet.Attributes;
using Slipway.Core.Apps;

namespace Slipway.Benchmarks.Core;

/// <summary>Procfile parsing, run once per build and per release.</summary>
[MemoryDiagnoser]
public class ProcfileBenchmarks
{
    private const string Text = """
        # a typical Procfile
        web: node server.js --port $PORT
        worker: node worker.js
        release: node migrate.js
        clock: node clock.js

        """;

    [Benchmark]
    public int Parse() => Procfile.Parse(Text).Count;
}
