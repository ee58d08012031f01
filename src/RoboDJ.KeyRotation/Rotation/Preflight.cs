using RoboDJ.KeyRotation.Config;
using RoboDJ.KeyRotation.Journal;
using RoboDJ.KeyRotation.Runtimes;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.KeyRotation.Snapshots;
using RoboDJ.Pipeline.IO;
using Serilog;

namespace RoboDJ.KeyRotation.Rotation;

/// <summary>
/// DESIGN.md §4 Preflight: every check runs, read-only, and every problem is reported at once, each naming its file,
/// line or JSON path and the fix. Nothing is written (off Linux a write probe is created and deleted, never in a dry run).
/// </summary>
public sealed class Preflight(DeploymentSettings settings, RunOptions options, ISecretStore store, IRuntime runtime)
{
    public const string EnvVariable = "ROBODJ_ENV";
    readonly PreflightProblems problems = [];
    readonly List<string> warnings = [];
    DeploymentPaths Paths => settings.Paths;

    public async Task<PreflightReport> RunAsync(CancellationToken cancellationToken)
    {
        // A missing .env is one problem, said as such: the keys, ROBODJ_ENV and the write checks all read it.
        var dotEnvMissing = !Path.Exists(Paths.DotEnv);
        if (dotEnvMissing) problems.Add(settings.RootOrigin.DotEnvMissing(Paths.DotEnv));
        var dotenv = dotEnvMissing ? null : problems.Check(() => LoadDotEnv());
        if (!dotEnvMissing) problems.Check(() => CheckEnv(dotenv));
        problems.Check(() => CheckContract(dotenv));
        if (!dotEnvMissing) await problems.CheckAsync(() => store.CheckWritableAsync(cancellationToken));
        problems.Check(CheckConfigWritable);
        // Every store writes .env: a GitHub store delivers the keys there, since the app reads them from it. The store's
        // check asks the same AtomicWriteAccess, so a refusal it already reported word for word is not listed twice.
        if (!dotEnvMissing) problems.Check(() => problems.AddRange(ScopeWritability.Problems(settings.Scope, dotEnvStore: true).Where(p => !problems.Contains(p))));
        await problems.CheckAsync(() => runtime.CheckReachableAsync(cancellationToken));
        var keys = dotEnvMissing ? null : await problems.CheckAsync(() => ReadKeysAsync(cancellationToken));
        problems.Check(() => AgentActivity.CheckNoneBlocking(Paths.Agents, DateTimeOffset.UtcNow, settings.AgentFreshness));
        problems.Check(() => RotationLock.CheckFree(Paths.RotationLock, settings.LockStaleAfter, options.BreakLock, DateTimeOffset.UtcNow));
        problems.Check(() =>
        {
            if (RotationJournal.FindUnfinished(Paths.KeyRotation) is { } unfinished) throw new UnfinishedRotationException(unfinished);
        });
        if (SnapshotRetention.ProblemWith(options.KeepSnapshots) is { } keepProblem) problems.Add(keepProblem);
        if (Verification.StartupLog.ProblemWith(Paths.StartupLog) is { } logProblem) problems.Add(logProblem);
        var census = keys?.Primary is { } v1 ? problems.Check(() => TakeCensus(v1, keys.Secondary, cancellationToken)) : null;
        if (census is not null) problems.Check(() => Rewrap.RequireSpace(settings.Scope.ConfigJsonFiles()));

        if (problems.Count > 0) throw new PreflightFailedException(problems);
        foreach (var warning in warnings) Log.Warning("Preflight: {Warning}", warning);
        var report = new PreflightReport(keys!, census!, warnings);
        Log.Debug("Preflight passed: {Summary}", report.Summary);
        return report;
    }

    /// <summary>Every store has the deployment's .env: the app reads its keys and ROBODJ_ENV there.</summary>
    DotEnvFile? LoadDotEnv()
    {
        var dotenv = DotEnvFile.Load(Paths.DotEnv);
        warnings.AddRange(dotenv.Warnings.Select(w => w.ToString()));
        foreach (var key in new[] { KeySlots.PrimaryName, KeySlots.SecondaryName })
            foreach (var line in dotenv.CommentedOutAssignments(key))
                warnings.Add(new DotEnvWarning(Paths.DotEnv, line, $"a commented-out copy of {key} keeps a key in plain text that the rotation never updates or retires",
                    "delete the line; the snapshots keep the old keys for as long as Rollback needs them").ToString());
        return dotenv;
    }

    /// <summary>--env must match what the deployment says it is, so production is never rotated by mistake.</summary>
    void CheckEnv(DotEnvFile? dotenv)
    {
        var (declared, where) = dotenv is not null
            ? (dotenv[EnvVariable], $"{Paths.DotEnv}:{dotenv.Find(EnvVariable)?.Line.ToString() ?? "-"}")
            : (Environment.GetEnvironmentVariable(EnvVariable), $"the environment variable {EnvVariable}");
        if (string.IsNullOrEmpty(declared))
            throw new InvalidOperationException($"{where}: {EnvVariable} is not set, so the deployment's environment is unknown. Fix: add {EnvVariable}={settings.Env} if this really is {settings.Env}.");
        if (!string.Equals(declared, settings.Env, StringComparison.Ordinal))
            throw new InvalidOperationException($"{where}: {EnvVariable} is '{declared}' but --env is '{settings.Env}'. Fix: rerun with --env {declared}, or point deployment-root at the {settings.Env} deployment.");
    }

    void CheckContract(DotEnvFile? dotenv)
    {
        EnvContract contract;
        if (FileStatus.Of(Paths.EnvContract).Exists) contract = EnvContract.Load(Paths.EnvContract);
        else
        {
            warnings.Add($"{Paths.EnvContract} does not exist; checking the default contract (V1, V2, {EnvVariable}).");
            contract = EnvContract.Default;
        }
        if (dotenv is null) return;
        var missing = contract.MissingFrom(dotenv);
        if (missing.Count > 0)
            throw new InvalidOperationException($"{Paths.DotEnv}: the env contract {Paths.EnvContract} requires {string.Join(", ", missing)}, which .env leaves absent or empty. Fix: set them in .env." +
                string.Concat(missing.Select(dotenv.WhyAbsent).OfType<DotEnvWarning>().Select(why => $" {why}.")));
    }

    void CheckConfigWritable()
    {
        if (!Directory.Exists(Paths.Config))
            throw new DirectoryNotFoundException(FileStatus.Of(Paths.Config) is { Exists: true } what
                ? $"{Paths.Config} {FileStatus.Describe(what.Kind)}: the config folder must be a folder (or a link to one). Fix: move it away and put the deployment's config folder there."
                : $"{Paths.Config}: the config folder is missing (the deployment root comes from {settings.RootOrigin}). Fix: restore config/ from the last snapshot, or, if this is not the deployment, {settings.RootOrigin.Fix}.");
        // The rewrap and the restore write there.
        if (AtomicWriteAccess.FolderRefusal(Paths.Config) is { } refusal) throw refusal;
    }

    async Task<KeySlots> ReadKeysAsync(CancellationToken cancellationToken)
    {
        var keys = await store.ReadAsync(cancellationToken);
        if (keys.Primary is null) throw new MissingKeyException(store.Description, KeySlots.PrimaryName);
        if (keys.Secondary is null) throw new MissingKeyException(store.Description, KeySlots.SecondaryName);
        if (keys.Primary.Equals(keys.Secondary))
            warnings.Add($"{store.Description}: V1 and V2 are the same key ({keys.Primary.Fingerprint}); the rotation will still give V1 a new key.");
        return keys;
    }

    CensusReport TakeCensus(FernetKey v1, FernetKey? v2, CancellationToken cancellationToken)
    {
        var ring = v2 is null ? new KeyRing(v1) : new KeyRing(v1, v2);
        var census = Census.Take(settings.Scope, ring, cancellationToken: cancellationToken);
        Log.Information("Census: {Summary}", census.Summary);
        if (census.UnderSecondary > 0 && !options.Rewrap)
            throw new InvalidOperationException($"{Paths.Config}: {census.UnderSecondary} field(s) open only with V2 ({Where(census.Examples.Where(f => f.KeyIndex > 0), census.UnderSecondary)}); " +
                $"with the rewrap off (--rewrap false, from {options.RewrapSource}), dropping V2 would lose them. Fix: turn the rewrap on there, or save the config from the dashboard first.");
        if (census.Undecryptable.Count > 0)
        {
            var where = Where(census.Undecryptable, census.Undecryptable.Count);
            if (!options.AllowUndecryptable)
                throw new InvalidOperationException($"{Paths.Config}: {census.Undecryptable.Count} field(s) open with neither V1 nor V2 ({where}). " +
                    "Fix: restore the key that made them, rerun with --allow-undecryptable to rotate anyway and leave them as they are, " +
                    "or, for a folder the app never reads (an old backup), add it to --config-exclusions.");
            warnings.Add($"{census.Undecryptable.Count} undecryptable field(s) left as they are (--allow-undecryptable): {where}");
        }
        return census;
    }

    /// <summary>The first five of <paramref name="total"/> fields, by file and path.</summary>
    static string Where(IEnumerable<CensusFinding> examples, int total) =>
        string.Join(", ", examples.Take(5).Select(f => $"config/{f.File} {f.JsonPath}")) + (total > 5 ? $", and {total - 5} more" : "");
}
