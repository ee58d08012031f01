using RoboDJ.KeyRotation.Effects;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.KeyRotation.Verification;
using RoboDJ.Pipeline;
using RoboDJ.Sandbox;
using Serilog;

/// <summary>
/// --env sandbox: the README's main job on a machine with neither Docker nor GitHub. The first run creates a
/// deployment (fresh keys, config fields under V1 and V2, env contract) and starts the stand-in app, so that the
/// rotation has a live app to stop, rotate under and verify.
/// </summary>
partial class Build
{
    [Parameter("sandbox: the dashboard port of a newly created sandbox deployment")]
    readonly int SandboxPort = 8765;

    bool IsSandbox => Env == "sandbox";

    Target Sandbox => _ => _
        .Description("Create the sandbox deployment and start its app when it does not exist yet")
        .Unlisted()
        .DependentFor(Preflight, Verify, Rollback, Resume)
        .OnlyWhenStatic(() => IsSandbox, "the deployment is not a sandbox")
        .OnlyWhenStatic(() => IsEmptyOrMissing(ResolvedDeploymentRoot), "the sandbox exists already")
        .Executes(async ct =>
        {
            try
            {
                Note(await Effects.ApplyAsync(nameof(Sandbox), ChangeKind.Process,
                    () => Task.FromResult($"would create a sandbox deployment in {ResolvedDeploymentRoot} and start its app on http://127.0.0.1:{SandboxPort}/"),
                    () => CreateSandboxAsync(ct), PreviewSandbox));
            }
            catch (Exception e)
            {
                Workflow.RecordFailure(nameof(Sandbox), e);
                throw;
            }
        });

    /// <summary>
    /// --dry-run on a machine without a sandbox: the set-up is only recorded. So that the rest of the dry run has a
    /// deployment to read, it previews a throwaway sandbox in the temp folder (never started; OnBuildFinished removes it).
    /// </summary>
    string PreviewSandbox(string wouldCreate)
    {
        previewRoot = Path.Combine(Path.GetTempPath(), $"robodj-dry-run-{Guid.NewGuid():N}");
        SandboxDeployment.Create(previewRoot, new SandboxDeploymentOptions { Port = SandboxPort });
        return $"{wouldCreate}; the rest of this dry run previews a throwaway copy in {previewRoot} (not started, removed at the end)";
    }

    string? previewRoot;

    void RemoveSandboxPreview()
    {
        if (previewRoot is null || !Directory.Exists(previewRoot)) return;
        try { Directory.Delete(previewRoot, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Log.Warning("Could not remove the dry run's sandbox preview {Path}: {Error}", previewRoot, e.Message); }
    }

    /// <summary>Only a folder that holds nothing yet gets a sandbox: a broken deployment is Preflight's to report, never overwritten.</summary>
    static bool IsEmptyOrMissing(string root) => !Directory.Exists(root) || !Directory.EnumerateFileSystemEntries(root).Any();

    async Task<string> CreateSandboxAsync(CancellationToken ct)
    {
        var created = SandboxDeployment.Create(ResolvedDeploymentRoot, new SandboxDeploymentOptions { Port = SandboxPort });
        Log.Information("Created a sandbox deployment in {Root}: V1 {V1}, V2 {V2}, dashboard {Url}", created.Root, created.V1.Fingerprint, created.V2?.Fingerprint, created.DashboardUrl);
        var log = new StartupLog(Settings.Paths.StartupLog);
        var offset = log.CurrentOffset();
        await RuntimeSelection.Create(Settings).StartAsync(DateTimeOffset.UtcNow.AddSeconds(-1), ct);
        await log.WaitForPassAsync(offset, Settings.StartTimeout, RoboDJ.KeyRotation.LogMessage.Progress, ct);
        return $"created {created.Root} and started the app on {created.DashboardUrl}";
    }
}
