using Slipway.Runtime.Dynos;

namespace Slipway.Runtime.Tests.Dynos;

public sealed class PortAllocatorTests
{
    [Theory]
    [InlineData(20000, 29999, false)]
    [InlineData(30000, 39999, true)]
    [InlineData(60999, 61500, true)]
    [InlineData(61000, 62000, false)]
    public void EphemeralOverlap_WarnsOnlyWhenTheRangesMeet(int first, int last, bool warns)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "32768\t60999\n");
            var warning = PortAllocator.EphemeralOverlap(first, last, file);
            Assert.Equal(warns, warning is not null);
            if (warns)
            {
                Assert.Contains("ip_local_reserved_ports", warning);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Allocate_HandsOutEachPortOnce_AndReusesAReleasedOneOnlyAfterTheOthers()
    {
        var ports = new PortAllocator(31997, 31999);
        var (a, b) = (ports.Allocate(), ports.Allocate());
        ports.Release(a);
        Assert.Equal([31997, 31998, 31999, 31997], new[] { a, b, ports.Allocate(), ports.Allocate() });
    }
}
