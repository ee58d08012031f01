using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Verification;

namespace RoboDJ.KeyRotation.Status;

/// <summary>Reads everything Status shows, changing nothing: no lock taken, no journal line, no config save.</summary>
public sealed class StatusReader(DeploymentSettings settings, ISecretStore store, IRuntime runtime)
{
    DeploymentPaths Paths => settings.Paths;

    public async Task<DeploymentStatus> ReadAsync(TimeSpan maxKeyAge, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keys = await store.ReadAsync(cancellationToken);
        var v1 = keys.Primary ?? throw new MissingKeyException(store.Description, KeySlots.PrimaryName);
        var journals = RotationJournal.All(Paths.KeyRotation).ToList();
        var ring = keys.Secondary is null || keys.Secondary.Equals(v1) ? new KeyRing(v1) : new KeyRing(v1, keys.Secondary);
        var census = Census.Take(settings.Scope, ring);
        return new DeploymentStatus
        {
            Env = settings.Env,
            At = now,
            V1 = Key(v1, journals, now),
            V2 = keys.Secondary is null ? null : Key(keys.Secondary, journals, now),
            MaxKeyAgeDays = (int)maxKeyAge.TotalDays,
            Census = new CensusCounts(census.Total, census.UnderPrimary, census.UnderSecondary, census.Undecryptable.Count,
                census.Undecryptable.Select(f => $"config/{f.File} {f.JsonPath}").ToList()),
            Lock = RotationLock.Read(Paths.RotationLock) is { } held
                ? new LockStatus(held.Holder, held.Host, held.Pid, (long)(now - held.Heartbeat).TotalSeconds) : null,
            Unfinished = RotationJournal.FindUnfinished(Paths.KeyRotation) is { } open
                ? new UnfinishedRotation(open.Id.Value, open.LastCompletedStep?.ToString() ?? "none", NextStep(open)) : null,
            SnapshotsKept = journals.Where(j => Directory.Exists(Paths.SnapshotDirectory(j.Id))).Select(j => j.Id.Value).ToList(),
            App = await AppAsync(cancellationToken),
        };
    }

    static KeyStatus Key(FernetKey key, IEnumerable<RotationJournal> journals, DateTimeOffset now)
    {
        var age = KeyAge.Of(key.Fingerprint, journals);
        return new KeyStatus(key.Fingerprint.ToString(), age.CurrentSince, age.AgeAt(now) is { } a ? (int)a.TotalDays : null, age.RotationId);
    }

    string NextStep(RotationJournal open) =>
        $"./build.sh Resume --env {settings.Env} to finish it, or ./build.sh Rollback --env {settings.Env} to restore the keys and config from before it";

    async Task<AppHealth> AppAsync(CancellationToken cancellationToken)
    {
        var running = (await runtime.StatusAsync(cancellationToken)).AnyRunning;
        var last = await new StartupLog(Paths.StartupLog).LastCheckAsync(1 << 20, cancellationToken);
        var detail = (running ? $"{runtime.Description} running" : $"{runtime.Description} NOT running") + "; " +
            (last is null ? "no key check in the startup log's last MiB" : last.Passed ? "latest key check PASS" : "latest key check FAILED");
        return new AppHealth(running, last?.Passed, detail);
    }
}
