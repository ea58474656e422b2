namespace Slipway.Runtime.Sandbox;

/// <summary>One thing the machine lacks for <c>--isolation sandbox</c>, and how to get it.</summary>
public sealed record MissingFacility(string Facility, string Remedy)
{
    public override string ToString() => $"{Facility}: {Remedy}";
}
