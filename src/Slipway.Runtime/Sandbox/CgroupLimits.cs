namespace Slipway.Runtime.Sandbox;

/// <summary>The resource limits of one tree; 0 means no limit (or the default weight).</summary>
internal sealed record CgroupLimits(long MemoryLimitBytes, int PidsMax, int CpuShares);
