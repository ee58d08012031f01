using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace RoboDJ.Build.Tests.Swarm;

/// <summary>
/// Clients of every replica during a rotation, as behind a load balancer: each worker logs in at its replica now and
/// then (a fresh session under that replica's V1), checks a session issued by any replica (the cross-replica decrypt the
/// phases protect), and reads the upcoming broadcasts. A replica being replaced is taken out of rotation: when its port
/// refuses or the connection drops before an answer, the request goes to the next replica, as a health-checked balancer
/// retries an idempotent request; that is "rerouted", not a failure. A failure is an answer other than 200, a 401 for a
/// session that is valid (a decryption error), or a request no replica could answer.
/// </summary>
sealed class LoadGenerator : IAsyncDisposable
{
    readonly IReadOnlyList<int> ports;
    readonly string password;
    readonly CancellationTokenSource stop = new();
    readonly ConcurrentDictionary<int, string> sessions = new();
    readonly ConcurrentQueue<string> failures = new();
    readonly List<Task> workers = [];
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly HttpClient http = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(10) };
    long requests, rerouted, decryptionErrors;

    public LoadGenerator(IReadOnlyList<int> ports, string password)
    {
        this.ports = ports;
        this.password = password;
    }

    public long Requests => Interlocked.Read(ref requests);
    public long Rerouted => Interlocked.Read(ref rerouted);
    public long DecryptionErrors => Interlocked.Read(ref decryptionErrors);
    public IReadOnlyList<string> Failures => failures.ToArray();
    public double RequestsPerSecond => Requests / clock.Elapsed.TotalSeconds;

    public async Task StartAsync()
    {
        foreach (var port in ports)
            sessions[port] = await LoginAsync(port, stop.Token) ?? throw new InvalidOperationException($"no session from the replica on port {port}: {string.Join("; ", failures)}");
        clock.Restart();
        for (var i = 0; i < ports.Count; i++)
        {
            var home = i;
            workers.Add(Task.Run(() => WorkAsync(home)));
        }
    }

    async Task WorkAsync(int home)
    {
        var random = new Random(home);
        var round = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (round++ % 10 == 0) await Balanced(home, async port => { if (await LoginAsync(port, stop.Token) is { } token) sessions[port] = token; return true; }, "login");
                var issuer = ports[random.Next(ports.Count)];
                var token = sessions[issuer];
                await Balanced(home, port => CheckSessionAsync(port, token, issuer), "session check");
                await Balanced(home, UpcomingAsync, "broadcasts read");
                await Task.Delay(40, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        }
    }

    /// <summary>Sends to the home replica, else to the next ones in turn when a replica is out of rotation.</summary>
    async Task Balanced(int home, Func<int, Task<bool>> send, string what)
    {
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[(home + i) % ports.Count];
            Interlocked.Increment(ref requests);
            try
            {
                await send(port);
                return;
            }
            catch (HttpRequestException e) when (IsOutOfRotation(e))
            {
                Interlocked.Increment(ref rerouted);
            }
            catch (HttpRequestException e)
            {
                failures.Enqueue($"{what} on port {port}: {e.HttpRequestError} ({e.InnerException?.Message ?? e.Message})");
                return;
            }
            catch (TaskCanceledException) when (!stop.IsCancellationRequested)
            {
                failures.Enqueue($"{what} on port {port}: no answer within 10 s");
                return;
            }
        }
        failures.Enqueue($"{what}: no replica answered");
    }

    // Refused: nobody listens (the replica is stopped or not started yet). Dropped before any answer: it was stopping.
    static bool IsOutOfRotation(HttpRequestException e)
    {
        for (Exception? inner = e.InnerException; inner is not null; inner = inner.InnerException)
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.ConnectionReset }) return true;
        return e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded;
    }

    async Task<string?> LoginAsync(int port, CancellationToken cancellationToken)
    {
        // A buffered body, so it carries Content-Length: http.server reads no chunked body.
        using var body = new StringContent(JsonSerializer.Serialize(new { username = "admin", password }), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync($"http://127.0.0.1:{port}/api/auth/login", body, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK) { Fail($"login on port {port}: HTTP {(int)response.StatusCode}"); return null; }
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return doc.RootElement.GetProperty("token").GetString();
    }

    async Task<bool> CheckSessionAsync(int port, string token, int issuer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/api/auth/session");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, stop.Token);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            Interlocked.Increment(ref decryptionErrors);
            Fail($"session check on port {port}: a session issued on port {issuer} was refused (it cannot decrypt it)");
        }
        else if (response.StatusCode != HttpStatusCode.OK) Fail($"session check on port {port}: HTTP {(int)response.StatusCode}");
        return true;
    }

    async Task<bool> UpcomingAsync(int port)
    {
        using var response = await http.GetAsync($"http://127.0.0.1:{port}/api/broadcasts/upcoming?minutes=10", stop.Token);
        if (response.StatusCode != HttpStatusCode.OK) Fail($"broadcasts read on port {port}: HTTP {(int)response.StatusCode}");
        return true;
    }

    void Fail(string what) => failures.Enqueue(what);

    public string Summary =>
        $"{Requests} requests in {clock.Elapsed.TotalSeconds:0.0} s ({RequestsPerSecond:0.0}/s), {Rerouted} rerouted from a replica out of rotation, " +
        $"{Failures.Count} failed, {DecryptionErrors} decryption errors" + (Failures.Count > 0 ? ": " + string.Join("; ", Failures.Take(5)) : "");

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        http.Dispose();
        stop.Dispose();
    }

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        clock.Stop();
    }
}
