using RoboDJ.Pipeline.CI.GitHubActions;

namespace RoboDJ.KeyRotation.Status;

/// <summary>Status in the GitHub job summary: the console's facts as a table under the verdict and its exit code.</summary>
public static class StatusSummarySection
{
    public static StepSummarySection For(DeploymentStatus status)
    {
        var verdict = status.Verdict == StatusVerdict.Healthy ? "healthy" : $"{StatusCheck.Note(status)} (exit {StatusCheck.ExitCode(status.Verdict)})";
        return StepSummarySection.Table($"Status of {status.Env}: {verdict}", ["", "Seen"],
            status.Facts().Select(f => (IReadOnlyList<string>)[f.Label, f.Text]));
    }
}
