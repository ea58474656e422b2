using System.Collections.Concurrent;

namespace Slipway.Runtime.Tests.Sandbox;

/// <summary>Collects a tree's output lines and lets a test wait for one.</summary>
public sealed class OutputLines
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public void Add(string line)
    {
        _lines.Enqueue(line);
        _arrived.Release();
    }

    public IReadOnlyList<string> All => [.. _lines];

    public string Text => string.Join('\n', _lines);

    /// <summary>Waits until a line equals <paramref name="expected"/>; the test's own timeout bounds the wait.</summary>
    public async Task WaitForAsync(string expected)
    {
        var token = TestContext.Current.CancellationToken;
        while (!_lines.Contains(expected))
        {
            await _arrived.WaitAsync(token);
        }
    }
}
