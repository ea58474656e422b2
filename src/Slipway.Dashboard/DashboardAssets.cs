using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Slipway.Dashboard;

/// <summary>
/// The dashboard's static files, read once from the assembly. Assets live under a version path derived from their content,
/// so browsers may cache them forever; only the page (<c>/</c>) is revalidated, and it names the current version.
/// </summary>
public sealed class DashboardAssets
{
    private const string ResourcePrefix = "dashboard/";
    private const string VersionPlaceholder = "{{assets}}";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    private readonly FrozenDictionary<string, Asset> _assets;

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToDictionary(n => n[ResourcePrefix.Length..], n => Read(assembly, n), StringComparer.Ordinal);
        var page = files["index.html"];
        files.Remove("index.html");

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, content) in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            hash.AppendData(content);
        }

        Version = Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
        AssetPath = $"/dashboard/{Version}/";
        _assets = files.ToFrozenDictionary(f => f.Key, f => new Asset(f.Value, ContentTypeOf(f.Key), Version), StringComparer.Ordinal);
        var rendered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(page).Replace(VersionPlaceholder, AssetPath.TrimEnd('/'), StringComparison.Ordinal));
        Page = new Asset(rendered, ContentTypes[".html"], Convert.ToHexStringLower(SHA256.HashData(rendered))[..16]);
    }

    /// <summary>A hash of every asset: it changes whenever one of them does.</summary>
    public string Version { get; }

    /// <summary>Where the current assets are served, e.g. <c>/dashboard/0123abcd…/</c>.</summary>
    public string AssetPath { get; }

    /// <summary>The single HTML page; client-side routes live in the URL fragment, so every view is this page.</summary>
    public Asset Page { get; }

    /// <summary>The asset at <paramref name="relativePath"/> of the current version, or null.</summary>
    public Asset? Find(string relativePath) => _assets.GetValueOrDefault(relativePath);

    private static string ContentTypeOf(string name) =>
        ContentTypes.GetValueOrDefault(Path.GetExtension(name)) ?? throw new InvalidOperationException($"The dashboard asset {name} has no known content type.");

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public sealed record Asset(byte[] Content, string ContentType, string ETag);
}
