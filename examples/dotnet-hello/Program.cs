// Slipway's example ASP.NET Core app: a greeting on /, a few env vars as JSON on /env. Listens on $PORT (ASPNETCORE_URLS).
var builder = WebApplication.CreateSlimBuilder(args);
var app = builder.Build();

string[] envNames = ["PORT", "DYNO", "GREETING", "HOME", "ASPNETCORE_URLS", "SOURCE_VERSION"];

app.MapGet("/", () => Results.Text($"Hello from Slipway! GREETING={Environment.GetEnvironmentVariable("GREETING") ?? "unset"}\n"));
app.MapGet("/env", () => Results.Json(envNames
    .Where(name => Environment.GetEnvironmentVariable(name) is not null)
    .ToDictionary(name => name, name => Environment.GetEnvironmentVariable(name))));

app.Run();
