using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Verification;
using Serilog;

namespace RoboDJ.KeyRotation.Rotation;

public sealed partial class KeyRotationWorkflow
{
    const string DashboardUrlVariable = "ROBODJ_DASHBOARD_URL";
    const string DashboardPasswordVariable = "ROBODJ_DASHBOARD_PASSWORD";

    /// <summary>
    /// The dashboard to check, or null (with the reason logged) when it is not configured. The URL and password come from
    /// the parameters and DASHBOARD_PASSWORD; for a dotenv store the deployment's own ROBODJ_DASHBOARD_* are the fallback.
    /// </summary>
    DashboardClient? Dashboard(out string? password)
    {
        password = options.DashboardPassword;
        if (settings.DashboardChecksOff) return null;
        var url = ConfiguredDashboardUrl();
        if (password is null && settings.Store == StoreKind.DotEnv && File.Exists(Paths.DotEnv))
            password = DotEnvFile.Load(Paths.DotEnv)[DashboardPasswordVariable];
        if (url is null || string.IsNullOrEmpty(password))
        {
            Log.Warning("Dashboard checks skipped: {Missing} not configured", url is null ? "dashboard-url" : "DASHBOARD_PASSWORD");
            return null;
        }
        Pipeline.SecretRedactor.Register(password);
        return new DashboardClient(url, settings.VerifyTimeout);
    }

    /// <summary>
    /// Preflight's proof that Verify can log in: a refused login, a non-loopback URL or a running app whose dashboard
    /// does not answer would fail Verify after the keys moved, so each is a refusal now, before any change. The session
    /// it takes is the one Verify later checks for continuity.
    /// </summary>
    async Task<(string Note, DashboardSession? Session)> ProveDashboardAsync(CancellationToken cancellationToken)
    {
        DashboardClient? client;
        string? password;
        try { client = Dashboard(out password); }
        catch (DashboardAddressRefusedException e) { throw new PreflightFailedException([e.Message]); }
        if (client is null)
        {
            if (ConfiguredDashboardUrl() is { } url)
                throw new PreflightFailedException([$"dashboard-url is {url} but no dashboard password is set, so Verify could not log in. " +
                    $"Fix: export DASHBOARD_PASSWORD (or set {DashboardPasswordVariable} in .env), or pass --dashboard-url none to skip the dashboard checks."]);
            return ("dashboard not configured", null);
        }
        using (client)
        {
            try
            {
                var session = await client.LoginAsync(settings.DashboardUser, password!, cancellationToken);
                return ($"dashboard login as '{settings.DashboardUser}' accepted at {client.BaseUrl}", session);
            }
            catch (DashboardCheckFailedException e) when (e.Refused)
            {
                throw new PreflightFailedException([$"{e.Message} Verify would fail on the same login after the keys moved."]);
            }
            catch (DashboardCheckFailedException e)
            {
                if ((await runtime.StatusAsync(cancellationToken)).AnyRunning)
                    throw new PreflightFailedException([$"{runtime.Description} is running, but {e.Message} Fix: set dashboard-url to the address the app serves on 127.0.0.1."]);
                Log.Warning("The dashboard does not answer while the app is down ({Error}); Verify logs in after Start", e.Message);
                return ("dashboard not reachable while the app is down", null);
            }
        }
    }

    Uri? ConfiguredDashboardUrl()
    {
        if (settings.DashboardChecksOff) return null;
        var url = settings.DashboardUrl;
        if (url is null && settings.Store == StoreKind.DotEnv && File.Exists(Paths.DotEnv)
            && DotEnvFile.Load(Paths.DotEnv).Find(DashboardUrlVariable) is { Value: { Length: > 0 } text } entry)
        {
            // The deployment's file gets the checks --dashboard-url gets: a credential in it is never used or shown.
            if (DashboardAddress.ProblemWith(text) is { } problem)
                throw new DashboardAddressRefusedException($"{Paths.DotEnv} line {entry.Line}, {DashboardUrlVariable}: {problem}. " +
                    $"Fix: set it to {DashboardAddress.Example} with the app's port, or pass --dashboard-url (or --dashboard-url {DashboardAddress.None}).");
            url = new Uri(text);
        }
        return url;
    }

    /// <summary>
    /// Desktop: a dashboard port held by a process other than the app would keep the restarted app from binding it, and
    /// Start and Verify would wait out their timeouts. Said at once, with the holder's pid.
    /// </summary>
    async Task CheckDashboardPortAsync(CancellationToken cancellationToken)
    {
        if (settings.Runtime != RuntimeKind.Desktop || ConfiguredDashboardUrl() is not { } url) return;
        if (PortHolder.Find(url.Port) is not { } holder) return;
        var app = (await runtime.StatusAsync(cancellationToken)).Units.Where(u => u.Running)
            .Select(u => int.TryParse(u.Id, out var pid) ? ProcessTable.Get(pid) : null).OfType<AppProcess>().ToList();
        var appTree = app.Concat(ProcessTable.Descendants(app)).Select(p => p.Pid).ToHashSet();
        if (holder.Pid != 0 && appTree.Contains(holder.Pid)) return;
        var who = holder.Pid == 0 ? "a process whose pid could not be read" : $"pid {holder.Pid} ({holder.Name})";
        throw new PreflightFailedException([$"127.0.0.1:{url.Port}, the dashboard port, is held by {who}, not by {runtime.Description}; " +
            $"after Stop the app could not bind it again. Fix: stop that process, or give the app a free port in {DashboardUrlVariable}."]);
    }

    /// <summary>Logs in before Stop (when Preflight could not), so Verify can show that a session signed with the old V1 survives through V2.</summary>
    async Task<DashboardSession?> TakeSessionBeforeStopAsync(CancellationToken cancellationToken)
    {
        using var client = Dashboard(out var password);
        if (client is null) return null;
        try { return await client.LoginAsync(settings.DashboardUser, password!, cancellationToken); }
        catch (DashboardCheckFailedException e)
        {
            Log.Warning("No dashboard session before Stop ({Error}); Verify will skip the session-continuity check", e.Message);
            return null;
        }
    }

    /// <summary>
    /// Fresh login, the pre-Stop session (when there is one), and optionally the config-save round trip, which may report
    /// as many decryption errors as Preflight's census found undecryptable fields (--allow-undecryptable), no more.
    /// An app may log its PASS before its dashboard listens: until <paramref name="answerBy"/> (Verify's own timeout) a
    /// dashboard that does not answer yet is asked again, so a slow one is no reason to roll back.
    /// </summary>
    async Task<string> CheckDashboardAsync(DashboardSession? sessionBeforeStop, bool saveConfig, CancellationToken cancellationToken, int knownUndecryptable = 0,
        DateTimeOffset? answerBy = null)
    {
        using var client = Dashboard(out var password);
        if (client is null) return "dashboard not configured";
        var notes = new List<string>();
        var fresh = await LoginOnceItAnswersAsync(client, password!, answerBy, cancellationToken);
        if (sessionBeforeStop is not null)
        {
            if (!await client.IsSessionValidAsync(sessionBeforeStop, cancellationToken))
                throw new VerificationFailedException("the dashboard session taken before Stop is no longer valid: the app does not fall back to V2 (the old V1) for sessions.");
            notes.Add("pre-Stop session still valid");
        }
        if (!await client.IsSessionValidAsync(fresh, cancellationToken))
            throw new VerificationFailedException("a fresh dashboard login gave a session the dashboard does not accept.");
        notes.Add("fresh login ok");
        if (saveConfig)
        {
            var save = await client.SaveConfigAsync(fresh, cancellationToken);
            if (save.DecryptionErrors.Count > knownUndecryptable)
                throw new VerificationFailedException($"the config save reported {save.DecryptionErrors.Count} decryption error(s): {string.Join(", ", save.DecryptionErrors.Take(5))}" +
                    (knownUndecryptable > 0 ? $", more than the {knownUndecryptable} undecryptable field(s) Preflight found." : "."));
            notes.Add($"config save ok ({save.Saved} fields" + (save.DecryptionErrors.Count > 0 ? $", {save.DecryptionErrors.Count} undecryptable as before)" : ")"));
        }
        return string.Join(", ", notes);
    }

    async Task<DashboardSession> LoginOnceItAnswersAsync(DashboardClient client, string password, DateTimeOffset? answerBy, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try { return await client.LoginAsync(settings.DashboardUser, password, cancellationToken); }
            catch (DashboardCheckFailedException e) when (!e.Refused && answerBy is { } by && DateTimeOffset.UtcNow < by)
            {
                if (attempt == 0) Log.Information("The dashboard does not answer yet ({Error}); asking again until {By:HH:mm:ss}", e.Message, by);
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
        }
    }
}
