using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using RoboDJ.KeyRotation.Http;
using RoboDJ.Pipeline;

namespace RoboDJ.KeyRotation.Verification;

/// <summary>
/// The dashboard checks of runbook §4 against the deployment contract (DESIGN.md §5):
/// POST /api/auth/login, GET /api/auth/session, POST /api/config/save, GET /api/broadcasts/upcoming?minutes=N.
/// Only 127.0.0.1 is ever addressed, and no redirect is followed (<see cref="BoundedHttp"/>): a dashboard that answers
/// login with a 307 to another port never gets the password sent there. Passwords and session tokens never reach output.
/// </summary>
public sealed class DashboardClient : IDisposable
{
    readonly HttpClient http;
    readonly Uri baseUrl;

    public DashboardClient(Uri baseUrl, TimeSpan timeout, HttpMessageHandler? handler = null)
    {
        if (baseUrl.Host != "127.0.0.1") throw new DashboardAddressRefusedException(baseUrl);
        this.baseUrl = baseUrl;
        http = BoundedHttp.Client(timeout, handler);
    }

    public Uri BaseUrl => baseUrl;

    public async Task<DashboardSession> LoginAsync(string user, string password, CancellationToken cancellationToken)
    {
        SecretRedactor.Register(password);
        using var response = await SendAsync(HttpMethod.Post, "api/auth/login", JsonBody(new { username = user, password }), null, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new DashboardCheckFailedException("POST /api/auth/login", $"login as '{user}' was refused ({(int)response.StatusCode})",
                "Check DASHBOARD_PASSWORD and dashboard-user; a refusal right after a rotation means the app cannot read its keys.", refused: true);
        await EnsureSuccessAsync(response, "POST /api/auth/login", cancellationToken);
        var token = await TokenFromAsync(response, cancellationToken)
            ?? throw new DashboardCheckFailedException("POST /api/auth/login", "the answer holds no session token", "The dashboard must answer {\"token\": \"...\"} or set a session cookie.");
        SecretRedactor.Register(token);
        return new DashboardSession(token);
    }

    /// <summary>True when the dashboard still accepts the session (e.g. one signed with the old V1, via the V2 fallback).</summary>
    public async Task<bool> IsSessionValidAsync(DashboardSession session, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "api/auth/session", null, session, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) return false;
        await EnsureSuccessAsync(response, "GET /api/auth/session", cancellationToken);
        return true;
    }

    public async Task<ConfigSaveResult> SaveConfigAsync(DashboardSession session, CancellationToken cancellationToken)
    {
        Effects.EffectGuard.ThrowIfDryRun(Effects.ChangeKind.Http, $"save the config through {BaseUrl}api/config/save");
        using var response = await SendAsync(HttpMethod.Post, "api/config/save", JsonBody(new { }), session, cancellationToken);
        var json = await ReadJsonAsync(response, "POST /api/config/save", cancellationToken);
        var saved = 0;
        var errors = new List<string>();
        if (json.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in new[] { "saved", "fields", "count" })
                if (json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number) { saved = v.GetInt32(); break; }
            foreach (var name in new[] { "decryptionErrors", "decryption_errors", "undecryptable", "errors" })
                if (json.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    errors.AddRange(list.EnumerateArray().Select(Describe));
                    break;
                }
        }
        // An error status that names no field is a save that did not happen, not a decryption error to be tolerated.
        if (!response.IsSuccessStatusCode && errors.Count == 0)
            throw new DashboardCheckFailedException("POST /api/config/save", $"HTTP {(int)response.StatusCode}: {SecretRedactor.Redact(json.GetRawText())}", "See the app's log for the cause.");
        return new ConfigSaveResult(saved, errors);
    }

    public async Task<IReadOnlyList<UpcomingBroadcast>> UpcomingBroadcastsAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"api/broadcasts/upcoming?minutes={(int)Math.Ceiling(within.TotalMinutes)}", null, null, cancellationToken);
        await EnsureSuccessAsync(response, "GET /api/broadcasts/upcoming", cancellationToken);
        var json = await ReadJsonAsync(response, "GET /api/broadcasts/upcoming", cancellationToken);
        var items = json.ValueKind == JsonValueKind.Array ? json
            : json.ValueKind == JsonValueKind.Object && json.TryGetProperty("broadcasts", out var b) ? b : default;
        if (items.ValueKind != JsonValueKind.Array) return [];
        return items.EnumerateArray().Select(e => new UpcomingBroadcast(
            Str(e, "id") ?? "?", Str(e, "title") ?? Str(e, "name") ?? "?",
            DateTimeOffset.TryParse(Str(e, "startsAt") ?? Str(e, "starts_at") ?? Str(e, "start"), out var t) ? t : default)).ToList();
    }

    // Buffered, so the request carries Content-Length: small servers (Python's http.server) read no chunked body.
    static ByteArrayContent JsonBody(object value)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, DashboardSession? session, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseUrl, path)) { Content = content };
        if (session is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
            request.Headers.Add("Cookie", "session=" + session.Token);
        }
        try { return await http.SendAsync(request, cancellationToken); }
        catch (HttpAnswerRefusedException e)
        {
            // An answer we refuse, not a dashboard still starting: asking again would get the same.
            throw new DashboardCheckFailedException($"{method} /{path}", e.Problem, "Fix: set dashboard-url to the address the app itself serves on 127.0.0.1.", refused: true);
        }
        catch (HttpRequestException e)
        {
            throw new DashboardCheckFailedException($"{method} /{path}", $"no answer from {baseUrl} ({e.Message})", "Check that the app is up and dashboard-url is right.");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DashboardCheckFailedException($"{method} /{path}", $"no answer from {baseUrl} within {http.Timeout.TotalSeconds:0} s", "Check that the app is up; raise dashboard-timeout if it is slow.");
        }
    }

    static async Task EnsureSuccessAsync(HttpResponseMessage response, string endpoint, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var body = SecretRedactor.Redact(await response.Content.ReadAsStringAsync(cancellationToken));
        if (body.Length > 300) body = body[..300] + "…";
        throw new DashboardCheckFailedException(endpoint, $"HTTP {(int)response.StatusCode}: {body}", "See the app's log for the cause.");
    }

    static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, string endpoint, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var doc = JsonDocument.Parse(text.Length == 0 ? "null" : text);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new DashboardCheckFailedException(endpoint, $"HTTP {(int)response.StatusCode} with a body that is not JSON", "Check dashboard-url points at the RoboDJ dashboard.");
        }
    }

    static async Task<string?> TokenFromAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
                foreach (var name in new[] { "token", "session", "sessionToken", "access_token" })
                    if (Str(doc.RootElement, name) is { Length: > 0 } token) return token;
        }
        catch (JsonException) { }
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
            foreach (var cookie in cookies)
            {
                var pair = cookie.Split(';')[0];
                var eq = pair.IndexOf('=');
                if (eq > 0 && pair[(eq + 1)..] is { Length: > 0 } value) return value;
            }
        return null;
    }

    static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.Object => string.Join(" ", new[] { Str(e, "file"), Str(e, "path") ?? Str(e, "field") }.Where(s => s is not null)),
        _ => e.ToString(),
    };

    static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public void Dispose() => http.Dispose();
}
