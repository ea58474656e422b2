using Slipway.Runtime.Tests.Sandbox;

namespace Slipway.Runtime.Tests.Dynos;

public sealed class LocalDynoBackendFixture() : SandboxFixture("dynotest", 64400);
