using System.Reflection;

namespace Slipway.Build.Tests.TestSupport;

/// <summary>Paths in the source repository (the test binaries may be built elsewhere).</summary>
internal static class Repository
{
    public static string Root { get; } = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string Buildpacks => Path.Combine(Root, "buildpacks");

    public static string Example(string name) => Path.Combine(Root, "examples", name);
}
