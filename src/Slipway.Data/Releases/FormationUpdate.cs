namespace Slipway.Data.Releases;

/// <summary>A scale request for one process type: an absolute or relative quantity and/or a size.</summary>
public sealed record FormationUpdate(string Type, QuantityChange? Quantity, string? Size);

/// <summary><c>"2"</c> sets the quantity; <c>"+1"</c>/<c>"-1"</c> move it (never below zero), as <c>ps:scale web+1</c> sends.</summary>
public sealed record QuantityChange(int Value, bool Relative)
{
    public int Resolve(int current) => Relative ? Math.Max(0, current + Value) : Value;
}

public sealed class FormationTypeNotFoundException(string type)
    : Exception($"Couldn't find that process type ({type}). Check `Procfile` and the process types of the current release.")
{
    public string Type { get; } = type;
}
