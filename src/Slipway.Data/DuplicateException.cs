namespace Slipway.Data;

/// <summary>A unique constraint refused the write (a taken app name, an existing email).</summary>
public sealed class DuplicateException(string message) : Exception(message);
