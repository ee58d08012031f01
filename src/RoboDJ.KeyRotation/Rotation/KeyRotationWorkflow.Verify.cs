using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Effects;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Verification;
using Serilog;

namespace RoboDJ.KeyRotation.Rotation;

public sealed partial class KeyRotationWorkflow
{
    /// <summary>
    /// Runbook §4. After a rotation in this process: the PASS after Start's offset, the dashboard (pre-Stop session,
    /// fresh login, config save) and a census with every field under the new V1. With no rotation in this process
    /// (<paramref name="started"/> null, Verify invoked alone): a read-only check of the live deployment.
    /// </summary>
    public Task<string> VerifyAsync(StartedRuntime? started, CancellationToken cancellationToken) => Target(RotationTargets.Verify, async () =>
    {
        if (started is null) return await VerifyLiveAsync(cancellationToken);
        return await Change(ChangeKind.Http,
            () => $"would wait for \"{StartupLog.PassText}\" after the offset Start records, log in to the dashboard, save the config and take a census, then {Retention.Describe()}",
            async () =>
            {
                var (verified, retention) = await VerifyAndCompleteAsync(started, RotationTargets.Verify, cancellationToken);
                return $"{verified}; {retention}";
            });
    });

    /// <summary>Verify, then the journal's Completed, retention and the lock released: the end of Rotate and of Resume alike.</summary>
    async Task<(string Verified, string Retention)> VerifyAndCompleteAsync(StartedRuntime started, string injectAs, CancellationToken cancellationToken)
    {
        var open = started.Rotation.OpenJournal;
        var verified = await Step(open, RotationStep.Verify, null, async () =>
        {
            var result = await VerifyRotationAsync(started, cancellationToken);
            return (result, Facts((JournalFacts.Detail, result)));
        }, injectAs);
        open.Ended(RotationStep.Completed, Facts((JournalFacts.NewPrimary, started.Rotated.NewPrimary.Fingerprint.ToString())));
        var retention = await Retention.AfterRotationAsync(open, store, retireKeyCopies: null, cancellationToken);
        ReleaseLock();
        return (verified, retention);
    }

    async Task<string> VerifyRotationAsync(StartedRuntime started, CancellationToken cancellationToken)
    {
        var progress = LogMessage.Progress;
        var newPrimary = started.Rotated.NewPrimary;
        var deadline = DateTimeOffset.UtcNow + settings.VerifyTimeout;
        var pass = await StartupLog.WaitForPassAsync(started.LogOffset, settings.VerifyTimeout, progress, cancellationToken,
            await ExpectPassAsync(started.Pids, newPrimary.Fingerprint.ToString(), started.LogOffset, cancellationToken));
        Log.Information("Startup log: {Line}", pass.Line);
        var dashboard = await CheckDashboardAsync(started.Rotated.Stopped.SessionBeforeStop, saveConfig: true, cancellationToken, started.Rotation.UndecryptableBefore, deadline);
        var census = await CensusUnderNewPrimaryAsync(newPrimary, started.Rotation.UndecryptableBefore, started.Rotation.AppRewraps, cancellationToken);
        return $"PASS after byte {started.LogOffset}; {dashboard}; {census}";
    }

    /// <summary>
    /// What proves that the app a Start launched passed its key check with <paramref name="v1"/> (the README's "what
    /// proves a PASS"): its pid, its V1, a pid-less line only from an app that never names its pid, and only while it
    /// runs (desktop: a process Start launched or found; docker: every container of the project).
    /// </summary>
    async Task<PassExpectation> ExpectPassAsync(IReadOnlySet<int> pids, string v1, long offset, CancellationToken cancellationToken) =>
        new(pids, v1)
        {
            AppNamesItsPid = await StartupLog.NamesPidsBeforeAsync(offset, 1 << 20, cancellationToken),
            StillRunning = pids.Count > 0
                ? _ => Task.FromResult(pids.Any(pid => ProcessTable.Get(pid) is not null))
                : async ct => (await runtime.StatusAsync(ct)).Units is { Count: > 0 } units && units.All(u => u.Running),
        };

    /// <summary>Every field the rotation could open must now open with V1 alone.</summary>
    async Task<string> CensusUnderNewPrimaryAsync(FernetKey newPrimary, int undecryptableBefore, bool appRewrapped, CancellationToken cancellationToken)
    {
        var current = await store.ReadAsync(cancellationToken);
        var v1 = current.Primary ?? throw new VerificationFailedException($"{store.Description} has no V1 after the rotation.");
        if (!v1.Equals(newPrimary))
            throw new VerificationFailedException($"{store.Description} holds V1 {v1.Fingerprint}, not the new {newPrimary.Fingerprint}.");
        var census = Census.Take(Scope, new KeyRing(v1));
        var notUnderV1 = census.Total - census.UnderPrimary;
        if (notUnderV1 > undecryptableBefore)
            throw new VerificationFailedException($"{notUnderV1} field(s) do not open with the new V1 {v1.Fingerprint}: " +
                string.Join(", ", census.Examples.Where(f => f.KeyIndex != 0).Take(5).Select(f => $"config/{f.File} {f.JsonPath}")) +
                (appRewrapped ? ". The app's config save did not move them; rerun with --rewrap-by offline." : ""));
        return $"census: {census.UnderPrimary} field(s) under the new V1 {v1.Fingerprint}" + (undecryptableBefore > 0 ? $", {undecryptableBefore} undecryptable as before" : "");
    }

    /// <summary>Verify alone: a live deployment checked without changing it (no config save).</summary>
    async Task<string> VerifyLiveAsync(CancellationToken cancellationToken)
    {
        var status = await runtime.StatusAsync(cancellationToken);
        if (!status.AnyRunning) throw new VerificationFailedException($"{runtime.Description} is not running. Start it, or run Rollback if a rotation failed.");
        var keys = await store.ReadAsync(cancellationToken);
        if (keys.Primary is null) throw new MissingKeyException(store.Description, KeySlots.PrimaryName);
        var verdict = await LatestKeyCheckAsync(keys.Primary.Fingerprint.ToString(), cancellationToken);
        if (verdict.What != LineVerdict.Kind.Counts)
            throw new VerificationFailedException($"{Paths.StartupLog}: the latest key check does not prove the running app: {verdict.Why}.");
        if (verdict.Why is { } warning) Log.Warning("{Path}: {Warning}", Paths.StartupLog, warning);
        var ring = keys.Secondary is null ? new KeyRing(keys.Primary) : new KeyRing(keys.Primary, keys.Secondary);
        var census = Census.Take(Scope, ring);
        census.ThrowIfUndecryptable();
        if (census.UnderSecondary > 0)
            Log.Warning("{Count} field(s) still open only with V2; the next rotation rewraps them", census.UnderSecondary);
        var dashboard = await CheckDashboardAsync(sessionBeforeStop: null, saveConfig: false, cancellationToken);
        return $"{runtime.Description} running; latest key check PASS" + (verdict.Why is null ? $" with V1 {keys.Primary.Fingerprint}" : "") + $"; {dashboard}; {census.Summary}";
    }
}
