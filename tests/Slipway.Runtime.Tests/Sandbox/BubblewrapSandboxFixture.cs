namespace Slipway.Runtime.Tests.Sandbox;

public sealed class BubblewrapSandboxFixture() : SandboxFixture("bwtest", 64300);
