using Slipway.Cli.Api;
using Slipway.Cli.Config;
using Slipway.Cli.Git;
using Slipway.Cli.Output;

namespace Slipway.Cli;

/// <summary>One invocation's view of the world: output, settings, credentials, the API client.</summary>
internal sealed class CliContext : IDisposable
{
    public const string DefaultApiUrl = "http://localhost:5000";

    private readonly Lazy<HttpClient> _http;
    private readonly Lazy<PlatformClient> _api;

    public CliContext(CliHost host)
    {
        Host = host;
        Ui = host.IsOutputTerminal ? new AnsiUi(host.Out, host.Error) : new PlainUi(host.Out, host.Error);
        Git = new GitCli(host.Environment is null ? null : Env("HOME"));
        _http = new Lazy<HttpClient>(() => new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(15),
        })
        {
            // Builds stream for minutes; each call sets its own cancellation instead.
            Timeout = Timeout.InfiniteTimeSpan,
        });
        _api = new Lazy<PlatformClient>(() => new PlatformClient(Http, ApiUrl, Token));
    }

    public CliHost Host { get; }

    public Ui Ui { get; }

    public GitCli Git { get; }

    public TimeProvider Time => Host.Time;

    public string WorkingDirectory => Host.WorkingDirectory;

    public HttpClient Http => _http.Value;

    public PlatformClient Api => _api.Value;

    public string? Env(string name) =>
        Host.Environment is null
            ? Environment.GetEnvironmentVariable(name)
            : Host.Environment.TryGetValue(name, out var value) ? value : null;

    /// <summary>SLIPWAY_API_URL, normalised to end with a slash so relative paths resolve under it.</summary>
    public Uri ApiUrl
    {
        get
        {
            var raw = Env("SLIPWAY_API_URL");
            if (string.IsNullOrWhiteSpace(raw))
                raw = DefaultApiUrl;
            if (!Uri.TryCreate(raw.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                throw new UsageException($"SLIPWAY_API_URL '{raw}' is not an http(s) URL, e.g. {DefaultApiUrl}.");
            return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
        }
    }

    /// <summary>The netrc machine name for the API: <c>host:port</c> (the port left out when it is the scheme's default).</summary>
    public string NetrcMachine => ApiUrl.Authority.ToLowerInvariant();

    /// <summary>git reads ~/.netrc through curl, which matches the host name alone: the git host's entry has no port.</summary>
    public string GitNetrcMachine => ApiUrl.Host.ToLowerInvariant();

    public string? NetrcPath
    {
        get
        {
            var home = Env("HOME");
            if (string.IsNullOrEmpty(home) && Host.Environment is null)
                home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".netrc");
        }
    }

    /// <summary>SLIPWAY_API_KEY, else the password of the API host's entry in ~/.netrc.</summary>
    public string? Token
    {
        get
        {
            var key = Env("SLIPWAY_API_KEY");
            if (!string.IsNullOrWhiteSpace(key))
                return key.Trim();
            var path = NetrcPath;
            return path is null ? null : Netrc.Load(path).Find(NetrcMachine)?.Password;
        }
    }

    public Task<string> ResolveAppAsync(string? option, CancellationToken ct) =>
        AppResolver.ResolveAsync(option, Env, Git, WorkingDirectory, ct);

    public void Dispose()
    {
        if (_http.IsValueCreated)
            _http.Value.Dispose();
    }
}
