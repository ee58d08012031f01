using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RoboDJ.Sandbox;
using RoboDJ.Sandbox.App;

// The stand-in RoboDJ app. Exit codes: 0 clean shutdown, 2 startup check FAIL, 3 bad usage or settings, 4 port in use.
SandboxCommandLine command;
SandboxEnvironment env;
int port;
try
{
    command = SandboxCommandLine.Parse(args);
    if (command.Create)
    {
        // Published as a program of its own (`RoboDJ Automation.exe`), the launchers run that program rather than dotnet.
        var ownExecutable = Environment.ProcessPath is { } self && !Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? self : null;
        var created = SandboxDeployment.Create(command.Root, new SandboxDeploymentOptions { Port = command.Port ?? DashboardPort.Default, AppExecutable = ownExecutable });
        Console.WriteLine($"RoboDJ.Sandbox: created a deployment in {created.Root}: V1 {created.V1.Fingerprint}, V2 {created.V2?.Fingerprint}, dashboard {created.DashboardUrl}");
        return 0;
    }
    env = SandboxEnvironment.Load(new SandboxLayout(command.Root).EnvFile);
    port = command.Port ?? DashboardPort.From(env.Get(SandboxVariables.DashboardUrl));
}
catch (Exception e) when (e is UsageException or InvalidOperationException or ArgumentException)
{
    Console.Error.WriteLine($"RoboDJ.Sandbox: {e.Message}");
    Console.Error.WriteLine(SandboxCommandLine.Usage);
    return 3;
}

var layout = new SandboxLayout(command.Root);
var events = new StartupEvents(layout.StartupLog);
var pidFile = new PidFile(layout.PidFile);
pidFile.Write();

var check = IntegrityCheck.Run(env, layout);
if (!check.Passed)
{
    var message = StartupEvents.FailMessage(check.Failure!);
    events.Append("ERROR", "startup_check", message);
    Console.Error.WriteLine($"RoboDJ.Sandbox: {message}");
    await Task.Delay(command.FailDelay);
    pidFile.Remove();
    return 2;
}

var keys = check.Keys!;
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = layout.Root });
builder.Logging.ClearProviders();
builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
// SIGTERM must stop the app well under a second: it is part of the rotation's downtime.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(500));
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
var app = builder.Build();
// On Windows a stop request is WM_CLOSE to the app's windows (`taskkill /PID n` without /F), as for the real desktop app.
using var closeRequests = OperatingSystem.IsWindows() ? CloseRequestWindow.Open("RoboDJ Automation", app.Lifetime.StopApplication) : null;

var ttl = int.TryParse(env.Get(SandboxVariables.SessionTtlSeconds), out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromHours(12);
Dashboard.Map(app, new SessionTokens(keys, ttl, TimeProvider.System), env.Get(SandboxVariables.DashboardPassword),
    new ConfigSave(layout, keys), new Broadcasts(layout, TimeProvider.System));

// PASS is written once the dashboard listens, so a pipeline that sees PASS can log in at once.
app.Lifetime.ApplicationStarted.Register(() =>
{
    var extra = new Dictionary<string, object> { ["v1"] = keys.V1.Fingerprint.ToString(), ["fields"] = check.Fields };
    if (keys.V2 is not null) extra["v2"] = keys.V2.Fingerprint.ToString();
    events.Append("INFO", "startup_check", StartupEvents.PassMessage, extra);
    Console.WriteLine($"RoboDJ.Sandbox: {StartupEvents.PassMessage}; V1 {keys.V1.Fingerprint}, V2 {keys.V2?.Fingerprint.ToString() ?? "absent"}, {check.Fields} encrypted fields");
    Console.WriteLine($"RoboDJ.Sandbox: dashboard on http://127.0.0.1:{port}, pid {Environment.ProcessId}, root {layout.Root}");
});

try
{
    await app.RunAsync();
}
catch (IOException e) when (e.InnerException is AddressInUseException)
{
    Console.Error.WriteLine($"RoboDJ.Sandbox: cannot listen on 127.0.0.1:{port}: the address is in use. Stop whatever holds the port or pass --port.");
    events.Append("ERROR", "listen", $"cannot listen on 127.0.0.1:{port}");
    pidFile.Remove();
    return 4;
}

events.Append("INFO", "shutdown", "Graceful shutdown");
pidFile.Remove();
Console.WriteLine("RoboDJ.Sandbox: stopped");
return 0;
