using Slipway.Storage.Engine;

namespace Slipway.Storage.Tests.Engine;

/// <summary>Blocking work leaves the socket threads (dedicated threads, like the one below) and stays put on pool threads.</summary>
public sealed class BlockingWorkTests
{
    [Fact]
    public async Task Run_CalledFromADedicatedThread_RunsOnThePool()
    {
        var ranOnPool = await OnDedicatedThread(() => BlockingWork.Run(() => Thread.CurrentThread.IsThreadPoolThread));

        Assert.True(ranOnPool);
    }

    [Fact]
    public async Task RunAsync_CalledFromADedicatedThread_StartsOnThePool()
    {
        var ranOnPool = await OnDedicatedThread(() => BlockingWork.RunAsync(() => Task.FromResult(Thread.CurrentThread.IsThreadPoolThread)));

        Assert.True(ranOnPool);
    }

    [Fact]
    public async Task Run_OnAPoolThread_RunsInPlaceAndCompletesAtOnce()
    {
        var (caller, worker, completed) = await Task.Run(() =>
        {
            var task = BlockingWork.Run(() => Environment.CurrentManagedThreadId);
            return (Environment.CurrentManagedThreadId, task.Result, task.IsCompleted);
        });

        Assert.Equal(caller, worker);
        Assert.True(completed);
    }

    [Fact]
    public async Task Run_WorkThrowsOnAPoolThread_ReturnsAFaultedTask()
    {
        Task<int>? task = null;
        await Task.Run(() =>
        {
            task = BlockingWork.Run<int>(() => throw new FileNotFoundException("gone"));
        });

        Assert.True(task!.IsFaulted);
        await Assert.ThrowsAsync<FileNotFoundException>(() => task);
    }

    [Fact]
    public async Task ToThreadPool_FromADedicatedThread_ResumesOnThePool()
    {
        var resumedOnPool = await OnDedicatedThread(async () =>
        {
            await BlockingWork.ToThreadPool();
            return Thread.CurrentThread.IsThreadPoolThread;
        });

        Assert.True(resumedOnPool);
    }

    /// <summary>Starts <paramref name="start"/> on a new thread that is not a pool thread, as a socket event thread is not.</summary>
    private static Task<T> OnDedicatedThread<T>(Func<Task<T>> start)
    {
        Task<T>? started = null;
        var thread = new Thread(() => started = start());
        thread.Start();
        thread.Join();
        return started!;
    }
}
