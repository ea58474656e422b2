namespace Slipway.Storage.Engine;

/// <summary>
/// Runs work that blocks (a SQLite query or commit, a file open, read or fsync) on a thread-pool thread. The storage
/// port serves requests on the socket event threads (<see cref="Hosting.StorageTransport"/>), where a blocked call would
/// stall every connection sharing that thread. Already on a pool thread, the work runs where it is: a hop costs more.
/// </summary>
internal static class BlockingWork
{
    public static Task<T> RunAsync<T>(Func<Task<T>> work) =>
        Thread.CurrentThread.IsThreadPoolThread ? work() : Task.Run(work);

    public static Task<T> Run<T>(Func<T> work)
    {
        if (!Thread.CurrentThread.IsThreadPoolThread)
        {
            return Task.Run(work);
        }

        try
        {
            return Task.FromResult(work());
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }

    public static Task Run(Action work) => Run(() =>
    {
        work();
        return true;
    });

    /// <summary>Continues on a thread-pool thread: for request handlers that block in many places (listings, multipart, copies).</summary>
    public static YieldAwaitable ToThreadPool() => new(Thread.CurrentThread.IsThreadPoolThread);

    /// <summary>Completes at once on a pool thread; otherwise resumes the awaiting code on one.</summary>
    public readonly struct YieldAwaitable(bool onPool) : System.Runtime.CompilerServices.ICriticalNotifyCompletion
    {
        public bool IsCompleted => onPool;

        public YieldAwaitable GetAwaiter() => this;

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation) => ThreadPool.QueueUserWorkItem(static c => c(), continuation, preferLocal: false);

        public void UnsafeOnCompleted(Action continuation) => ThreadPool.UnsafeQueueUserWorkItem(static c => c(), continuation, preferLocal: false);
    }
}
