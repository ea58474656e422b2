namespace Slipway.Build.Deploys;

/// <summary>The output of one build as it is produced: readers replay from the start and then follow live lines.</summary>
public sealed class BuildOutput
{
    private readonly List<string> _lines = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Completed { get; private set; }

    public void Append(string line)
    {
        TaskCompletionSource changed;
        lock (_lines)
        {
            _lines.Add(line);
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    public void Complete()
    {
        TaskCompletionSource changed;
        lock (_lines)
        {
            Completed = true;
            changed = _changed;
        }

        changed.TrySetResult();
    }

    public string Text()
    {
        lock (_lines)
        {
            return string.Concat(_lines.Select(l => l + "\n"));
        }
    }

    /// <summary>Every line from the first, waiting for new ones until the build completes.</summary>
    public async IAsyncEnumerable<string> FollowAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = 0;
        while (true)
        {
            string[] batch;
            Task changed;
            bool completed;
            lock (_lines)
            {
                batch = _lines.Skip(next).ToArray();
                next = _lines.Count;
                changed = _changed.Task;
                completed = Completed;
            }

            foreach (var line in batch)
            {
                yield return line;
            }

            if (completed)
            {
                yield break;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }
}
