using System.Threading.Channels;

namespace Slipway.Runtime.Dynos;

/// <summary>What a one-off dyno needs beyond the release: its command, and whether a client attaches to it.</summary>
public sealed record OneOffRequest
{
    /// <summary><c>run</c> for <c>slipway run</c>, <c>release</c> for the release phase.</summary>
    public string Type { get; init; } = "run";

    public required string Command { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string? Size { get; init; }

    /// <summary>When true, output is kept for the attached client (and stdin is a pipe) instead of going to the log.</summary>
    public bool Attach { get; init; }

    /// <summary>The user's email, for the <c>Starting process … by user</c> line.</summary>
    public string? User { get; init; }

    /// <summary>Also receives every output line (the release phase streams into the build output).</summary>
    public Action<string>? OnOutputLine { get; init; }
}

/// <summary>A running one-off dyno: its output for an attached client, its stdin, and its exit status.</summary>
public sealed class OneOffDyno(string id, string name, bool attached)
{
    /// <summary>Attached output waiting for a client; bounded so an absent client cannot exhaust memory.</summary>
    private readonly Channel<string> _output = Channel.CreateBounded<string>(new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Id { get; } = id;

    public string Name { get; } = name;

    public ChannelReader<string> Output => _output.Reader;

    public Stream? Input { get; internal set; }

    /// <summary>The command's exit status, once the dyno is stopped and cleaned up.</summary>
    public Task<int> Exited => _exited.Task;

    internal bool Offer(string line) => attached && _output.Writer.TryWrite(line);

    internal void Complete(int status)
    {
        _output.Writer.TryComplete();
        _exited.TrySetResult(status);
    }
}
