using System.Net;
using System.Net.Sockets;
using Slipway.Core.Platform;
using Slipway.Runtime.Sandbox;

namespace Slipway.Runtime.Tests.Sandbox;

/// <summary>
/// One real <see cref="BubblewrapSandbox"/> per test class: its own data directory, instance id and uid
/// range, plus two loopback listeners, one on a port the firewall allows and one it must fence off.
/// </summary>
public abstract class SandboxFixture : IDisposable
{
    private readonly BubblewrapSandbox? _sandbox;

    protected SandboxFixture(string instanceId, int uidBase)
    {
        UidBase = uidBase;
        Data = new DataDirectory(Directory.CreateTempSubdirectory("slipway-sandbox-").FullName);
        AllowedListener = Listen();
        DeniedListener = Listen();
        SkipReason = Unavailable();
        if (SkipReason is null)
        {
            _sandbox = new BubblewrapSandbox(new SandboxOptions
            {
                DataDirectory = Data,
                InstanceId = instanceId + "_" + Environment.ProcessId,
                UidBase = uidBase,
                UidCount = 100,
                AllowedLocalPorts = [AllowedPort],
            });
        }
    }

    public DataDirectory Data { get; }

    public int UidBase { get; }

    public TcpListener AllowedListener { get; }

    public TcpListener DeniedListener { get; }

    public int AllowedPort => ((IPEndPoint)AllowedListener.LocalEndpoint).Port;

    public int DeniedPort => ((IPEndPoint)DeniedListener.LocalEndpoint).Port;

    public string? SkipReason { get; }

    /// <summary>The sandbox, or a visible skip when this machine cannot run it.</summary>
    public BubblewrapSandbox Sandbox
    {
        get
        {
            if (_sandbox is null)
            {
                Assert.Skip(SkipReason ?? "sandbox unavailable");
            }

            return _sandbox;
        }
    }

    public void Dispose()
    {
        _sandbox?.Dispose();
        AllowedListener.Stop();
        DeniedListener.Stop();
        // A dyno whose test did not remove its filesystem still has /app mounted: detach it before deleting.
        using (var unmount = System.Diagnostics.Process.Start("/bin/sh", ["-c", $"grep ' {Data.Root}/' /proc/mounts | cut -d' ' -f2 | xargs -r umount -l"]))
        {
            unmount.WaitForExit();
        }

        Directory.Delete(Data.Root, recursive: true);
        GC.SuppressFinalize(this);
    }

    private static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "The dyno sandbox needs Linux.";
        }

        var capabilities = SandboxCapabilities.Detect();
        return capabilities.CanSandbox ? null : capabilities.Describe();
    }

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }
}
