namespace RoboDJ.Pipeline.Internal;

/// <summary>
/// Workflow commands under GITHUB_ACTIONS=true: ::add-mask:: for every secret before anything else is printed (and for
/// each one registered later), annotations, and one ::group:: per target.
/// </summary>
sealed class GitHubActions : IDisposable
{
    readonly ConsoleOutput output;

    public GitHubActions(ConsoleOutput output)
    {
        this.output = output;
        SecretRedactor.Registered += Mask;
        foreach (var secret in SecretRedactor.RegisteredSecrets) Mask(secret);
    }

    void Mask(string secret)
    {
        foreach (var form in SecretRedactor.FormsOf(secret).Distinct()) output.Raw("::add-mask::" + form);
    }

    public void Group(string name) => output.Line("::group::" + name);
    public void EndGroup() => output.Line("::endgroup::");
    public void Annotate(string kind, string text) => output.Line($"::{kind}::{Escape(text)}");

    // Workflow command data must keep to one line.
    static string Escape(string text) => text.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    public void Dispose() => SecretRedactor.Registered -= Mask;
}
