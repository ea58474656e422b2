namespace Slipway.Core.Errors;

/// <summary>An error a user can meet, carrying the Platform API error id (<c>not_found</c>, <c>invalid_params</c> …) and HTTP status.</summary>
public class PlatformException(int status, string id, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Id { get; } = id;

    public static PlatformException NotFound(string message) => new(404, "not_found", message);

    public static PlatformException Invalid(string message) => new(422, "invalid_params", message);

    public static PlatformException BadRequest(string message) => new(400, "bad_request", message);

    public static PlatformException Forbidden(string message) => new(403, "forbidden", message);

    public static PlatformException Conflict(string message) => new(409, "conflict", message);
}
