namespace RoboDJ.KeyRotation.Secrets;

/// <summary>
/// The GitHub secrets (as the job's mapping shows them) and the deployment's .env hold different keys, and no
/// unfinished rotation explains it. Nothing was changed; which side is right is a person's call.
/// </summary>
public sealed class SecretStoresDisagreeException(string gitHub, string dotEnvPath, KeySlots gitHubKeys, KeySlots dotEnvKeys)
    : InvalidOperationException(
        $"{gitHub} holds V1 {Show(gitHubKeys.Primary)}, V2 {Show(gitHubKeys.Secondary)} (as the job's {KeySlots.PrimaryName}/{KeySlots.SecondaryName} mapping shows), " +
        $"but {dotEnvPath}, which the app reads, holds V1 {Show(dotEnvKeys.Primary)}, V2 {Show(dotEnvKeys.Secondary)}, and no unfinished rotation explains it. " +
        $"Nothing was changed. Fix: find which side the app's data is under (the startup log's PASS line names its V1), then set the other side to the same keys " +
        "(the GitHub secrets with `gh secret set`, or .env by hand), and run again.")
{
    static string Show(FernetKey? key) => key?.Fingerprint.ToString() ?? "absent";
}
