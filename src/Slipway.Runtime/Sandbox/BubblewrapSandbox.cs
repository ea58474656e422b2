namespace Slipway.Runtime.Sandbox;

/// <summary>
/// <c>--isolation sandbox</c>: every tree runs under bubblewrap as its app's unprivileged uid, in its own
/// cgroups, behind a seccomp deny-list and the loopback firewall. Construct once per slipwayd instance.
/// </summary>
public sealed class BubblewrapSandbox : ISandbox, IDisposable
{
    private readonly SandboxOptions _options;
    private readonly CgroupHierarchy _cgroups;
    private readonly LoopbackFirewall _firewall;
    private readonly string _etc;
    private readonly string _seccompFilter;

    /// <summary>Prepares the curated /etc and seccomp filter and installs the firewall; throws when the machine cannot sandbox.</summary>
    public BubblewrapSandbox(SandboxOptions options)
    {
        options.Validate();
        var capabilities = SandboxCapabilities.Detect();
        if (!capabilities.CanSandbox)
        {
            throw new PlatformNotSupportedException(capabilities.Describe());
        }

        _options = options;
        var data = options.DataDirectory;
        CreateTraversableDirectory(data.Root);
        CreateTraversableDirectory(data.SandboxEtc);
        _etc = CuratedEtc.Write(data.SandboxEtc, options.SandboxUid, options.LoopbackHostNames);
        _seccompFilter = Path.Combine(data.SandboxEtc, "seccomp.bpf");
        SeccompFilter.Export(_seccompFilter);
        _cgroups = CgroupHierarchy.Detect(options.InstanceId);
        _firewall = new LoopbackFirewall(options);
        _firewall.Install();
    }

    public IsolationMode Mode => IsolationMode.Sandbox;

    public SandboxOptions Options => _options;

    public string PathInside(SandboxMount mount) => mount.SandboxPath;

    public async Task<SandboxProcess> StartAsync(SandboxSpec spec, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_options.OwnsUid(spec.HostUid))
        {
            // The firewall only covers this instance's uid range; anything else would run unfenced.
            throw new ArgumentException($"Host uid {spec.HostUid} is outside the sandbox uid range {_options.UidBase}+{_options.UidCount}.", nameof(spec));
        }

        if (spec.Id.Length == 0 || spec.Id.StartsWith('.') || spec.Id.Contains('/'))
        {
            throw new ArgumentException($"Sandbox id '{spec.Id}' is not file-name-safe.", nameof(spec));
        }

        await _cgroups.KillAndRemoveAsync(spec.Id);
        var procs = _cgroups.Create(spec.Id, new CgroupLimits(spec.MemoryLimitBytes, spec.PidsMax, spec.CpuShares));
        try
        {
            var argv = BubblewrapCommand.Build(spec, _options, _etc, _seccompFilter, procs);
            var host = await HostProcess.StartAsync(argv, "/", spec.RedirectStandardInput, spec.OnOutputLine, spec.Overlay);
            return new BubblewrapProcess(spec.Id, host, _cgroups);
        }
        catch
        {
            await _cgroups.KillAndRemoveAsync(spec.Id);
            throw;
        }
    }

    public async Task ReapLeftoversAsync(IReadOnlySet<string> keepIds, CancellationToken cancellationToken = default)
    {
        foreach (var id in _cgroups.TreeIds().Where(id => !keepIds.Contains(id)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _cgroups.KillAndRemoveAsync(id);
        }
    }

    /// <summary>Removes the firewall table and the instance's (empty) parent cgroups.</summary>
    public void Dispose()
    {
        _firewall.Remove();
        _cgroups.RemoveParent();
    }

    private static void CreateTraversableDirectory(string path)
    {
        // 0711: a tree's uid may pass through to its own mount sources but cannot list what is here.
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_001_001);
    }
}
