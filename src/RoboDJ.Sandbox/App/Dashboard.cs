using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace RoboDJ.Sandbox.App;

/// <summary>The dashboard endpoints of the deployment contract (DESIGN.md §5), plus /healthz.</summary>
static class Dashboard
{
    public sealed record LoginRequest(string? Username, string? Password);

    public static void Map(WebApplication app, SessionTokens sessions, string? password, ConfigSave configSave, Broadcasts broadcasts)
    {
        app.MapGet("/healthz", () => Results.Json(new { status = "ok", pid = Environment.ProcessId }));

        app.MapPost("/api/auth/login", (LoginRequest request) =>
        {
            if (string.IsNullOrWhiteSpace(request.Username) || request.Password is null || !PasswordMatches(request.Password, password))
                return Results.Json(new { error = "invalid username or password" }, statusCode: StatusCodes.Status401Unauthorized);
            return Results.Json(new { session = sessions.Issue(request.Username) });
        });

        app.MapGet("/api/auth/session", (HttpRequest request) =>
        {
            var header = request.Headers.Authorization.ToString();
            const string bearer = "Bearer ";
            var checkedSession = header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? sessions.Check(header[bearer.Length..].Trim()) : null;
            return checkedSession is { } s
                ? Results.Json(new { user = s.User, key = s.Key })
                : Results.Json(new { error = "no valid session" }, statusCode: StatusCodes.Status401Unauthorized);
        });

        app.MapPost("/api/config/save", () =>
        {
            try
            {
                var outcome = configSave.Run();
                return Results.Json(new
                {
                    saved = outcome.Saved,
                    decryption_errors = outcome.DecryptionErrors.Select(e => new { file = e.File, path = e.Path }),
                });
            }
            catch (ConfigParseException e) { return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status500InternalServerError); }
        });

        app.MapGet("/api/broadcasts/upcoming", (string? minutes) =>
        {
            if (!int.TryParse(minutes, out var m) || m < 0)
                return Results.Json(new { error = "minutes must be a whole number of minutes, 0 or more, e.g. ?minutes=10" }, statusCode: StatusCodes.Status400BadRequest);
            try
            {
                var upcoming = broadcasts.StartingWithin(TimeSpan.FromMinutes(m));
                return Results.Json(new { minutes = m, broadcasts = upcoming.Select(b => new { title = b.Title, starts_at = b.StartsAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") }) });
            }
            catch (ConfigParseException e) { return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status500InternalServerError); }
        });
    }

    /// <summary>Constant time, so the check leaks nothing about the password; no password configured means no login.</summary>
    static bool PasswordMatches(string given, string? expected) =>
        !string.IsNullOrEmpty(expected)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
