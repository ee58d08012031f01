using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text;

namespace RoboDJ.Sandbox.Tests.Support;

/// <summary>
/// The sandbox app as a real process: `dotnet RoboDJ.Sandbox.dll --root ROOT`, with ROBODJ_* stripped from the
/// inherited environment (as the pipeline does) unless a test sets them. Dispose kills it by its pid.
/// </summary>
sealed class SandboxProcess : IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    readonly Process process;
    readonly StringBuilder output = new();

    SandboxProcess(Process process, SandboxDeployment deployment)
    {
        this.process = process;
        Deployment = deployment;
        Http = new HttpClient { BaseAddress = new Uri(deployment.DashboardUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public SandboxDeployment Deployment { get; }
    public HttpClient Http { get; }
    public int Pid => process.Id;
    public bool HasExited => process.HasExited;

    /// <summary>Everything the app printed on stdout and stderr so far.</summary>
    public string Output { get { lock (output) return output.ToString(); } }

    /// <summary>Starts the app without waiting; see <see cref="WaitForHealthzAsync"/> and <see cref="WaitForExitAsync"/>.</summary>
    public static SandboxProcess Launch(SandboxDeployment deployment, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(SandboxDeployment).Assembly.Location);
        info.ArgumentList.Add("--root");
        info.ArgumentList.Add(deployment.Root);
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("ROBODJ_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;

        var process = new Process { StartInfo = info };
        var app = new SandboxProcess(process, deployment);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Starts the app and waits until /healthz answers; kills it and fails with its output otherwise.</summary>
    public static async Task<SandboxProcess> StartAsync(SandboxDeployment deployment, IReadOnlyDictionary<string, string>? environment = null)
    {
        var app = Launch(deployment, environment);
        try
        {
            await app.WaitForHealthzAsync(StartTimeout);
            return app;
        }
        catch
        {
            app.Dispose();
            throw;
        }
    }

    public async Task WaitForHealthzAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        using var probe = new HttpClient { BaseAddress = Http.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        while (deadline.Elapsed < timeout)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"the sandbox app exited with {process.ExitCode} before /healthz answered; output:\n{Output}");
            try
            {
                using var response = await probe.GetAsync("/healthz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(25);
        }
        throw new TimeoutException($"the sandbox app did not answer /healthz within {timeout.TotalSeconds} s; output:\n{Output}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as a desktop runtime's graceful stop does.</summary>
    public void Terminate()
    {
        if (kill(process.Id, SigTerm) != 0) throw new InvalidOperationException($"kill({process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public async Task<string> LoginAsync(string password, string user = "operator")
    {
        using var response = await Http.PostAsJsonAsync("/api/auth/login", new { username = user, password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return body.GetProperty("session").GetString()!;
    }

    public async Task<HttpResponseMessage> CheckSessionAsync(string session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/session");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", session);
        return await Http.SendAsync(request);
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    public void Dispose()
    {
        Http.Dispose();
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException) { }
        process.Dispose();
    }

    const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);
}
