using BenchmarkDotNet.Running;
using Slipway.Benchmarks.Core;

// `dotnet run -c Release --project bench/Slipway.Benchmarks -- --filter '*'`; bench/run passes a short job in --quick.
BenchmarkSwitcher.FromAssembly(typeof(ProcfileBenchmarks).Assembly).Run(args);
