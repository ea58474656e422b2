using System.Net;

namespace Slipway.Cli.Api;

/// <summary>A non-2xx answer from the Platform API, carrying its <c>{"id","message"}</c> body.</summary>
public sealed class ApiException(HttpStatusCode status, string? errorId, string message)
    : CliException(message, errorId)
{
    public HttpStatusCode Status { get; } = status;
}
