using Slipway.Storage.Engine;

namespace Slipway.Storage.Tests.Engine;

public sealed class RowCacheTests
{
    [Fact]
    public async Task SecondLookup_IsServedFromMemory()
    {
        var cache = new RowCache<string, string>(10);
        var loads = 0;
        Assert.Equal("v1", await cache.GetOrLoadAsync("k", () => Task.FromResult<string?>("v" + ++loads)));
        Assert.Equal("v1", await cache.GetOrLoadAsync("k", () => Task.FromResult<string?>("v" + ++loads)));
        Assert.Equal(1, loads);
    }

    [Fact]
    public async Task TryGet_AnswersOnlyCachedRows()
    {
        var cache = new RowCache<string, string>(10);
        Assert.False(cache.TryGet("k", out _));
        await cache.GetOrLoadAsync("k", () => Task.FromResult<string?>("row"));
        Assert.True(cache.TryGet("k", out var row));
        Assert.Equal("row", row);
        cache.Invalidate("k");
        Assert.False(cache.TryGet("k", out _));
    }

    [Fact]
    public async Task Invalidate_MakesTheNextLookupReadAgain()
    {
        var cache = new RowCache<string, string>(10);
        await cache.GetOrLoadAsync("k", () => Task.FromResult<string?>("old"));
        cache.Invalidate("k");
        Assert.Equal("new", await cache.GetOrLoadAsync("k", () => Task.FromResult<string?>("new")));
    }

    [Fact]
    public async Task LoadThatRacedACommit_IsReturnedButNotCached()
    {
        var cache = new RowCache<string, string>(10);
        var loading = new TaskCompletionSource<string?>();
        var racing = cache.GetOrLoadAsync("k", () => loading.Task);
        cache.Invalidate("k"); // a write committed while the lookup read the row it replaced
        loading.SetResult("old");
        Assert.Equal("old", await racing);
        Assert.Equal("new", await cache.GetOrLoadAsync("k", () => Task.FromResult<string?>("new")));
    }

    [Fact]
    public async Task AbsentRows_AreNotCached()
    {
        var cache = new RowCache<string, string>(10);
        Assert.Null(await cache.GetOrLoadAsync("k", () => Task.FromResult<string?>(null)));
        Assert.Equal("created", await cache.GetOrLoadAsync("k", () => Task.FromResult<string?>("created")));
    }

    [Fact]
    public async Task FullCache_StartsOver_SoMemoryStaysBounded()
    {
        var cache = new RowCache<int, string>(3);
        for (var i = 0; i < 10; i++)
        {
            await cache.GetOrLoadAsync(i, () => Task.FromResult<string?>("row"));
            Assert.InRange(cache.Count, 1, 3);
        }
    }

    [Fact]
    public async Task InvalidateAll_DropsEveryRow()
    {
        var cache = new RowCache<int, string>(10);
        await cache.GetOrLoadAsync(1, () => Task.FromResult<string?>("a"));
        await cache.GetOrLoadAsync(2, () => Task.FromResult<string?>("b"));
        cache.InvalidateAll();
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task Miss_FromADedicatedThread_LoadsOnThePool()
    {
        var cache = new RowCache<string, string>(10);
        Task<string?>? lookup = null;
        var thread = new Thread(() => lookup = cache.GetOrLoadAsync("k", () => Task.FromResult<string?>(Thread.CurrentThread.IsThreadPoolThread ? "pool" : "socket thread")));
        thread.Start();
        thread.Join();

        Assert.Equal("pool", await lookup!);
    }
}
