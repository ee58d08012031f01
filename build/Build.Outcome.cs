using RoboDJ.KeyRotation.Effects;
using RoboDJ.KeyRotation.Rotation;
using RoboDJ.Pipeline;
using Serilog;

/// <summary>What a run ends with: its exit code (<see cref="RotationExitCode"/>), the closing message, the outcome report.</summary>
partial class Build
{
    protected override void OnBuildInitialized()
    {
        RegisterKnownSecrets(); // Build.GitHub.cs
        PublishDeploymentRoot(); // Build.Parameters.cs
    }

    protected override int GetExitCode(BuildSummary summary) => RotationExitCode.For(summary, workflow?.NeedsRollback == true || phased?.LeftOpen == true, workflow?.RefusedBeforeAnyChange == true);

    protected override void OnBuildFinished(BuildSummary summary)
    {
        // The outcome report writes to GitHub and the webhook: in a dry run it must not, by construction.
        using var guard = Effects.Guard();
        RemoveSandboxPreview(); // Build.Sandbox.cs
        if (effects?.IsDryRun == true)
        {
            DryRunPreview.Log(effects.Recorded, Log.Logger);
        }
        if (workflow is null) return;
        ReportOutcome(summary); // Build.GitHub.cs
        workflow.LogClosingMessage(summary[nameof(Rollback)]?.Status);
        workflow.Dispose();
    }
}
