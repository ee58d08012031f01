namespace RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>
/// A job beside the workflow's own that runs on another kind of runner, e.g. <c>windows-latest</c>: the same checkout
/// and .NET set-up, then each of <see cref="Commands"/> as a step of its own in <see cref="Shell"/> (<c>cmd</c> calls
/// <c>build.cmd</c> as an operator on Windows does). It runs on every trigger of the workflow, with its permissions.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GitHubActionsRunnerJobAttribute(string workflow, string id) : Attribute
{
    public string Workflow { get; } = workflow;
    public string Id { get; } = id;
    public string? DisplayName { get; set; }
    public string RunsOn { get; set; } = "windows-latest";

    /// <summary>The steps' shell: <c>cmd</c>, <c>pwsh</c>, <c>bash</c>, ...</summary>
    public string Shell { get; set; } = "cmd";

    /// <summary>One step per command, literally (no expressions: they belong in an env entry).</summary>
    public string[] Commands { get; set; } = [];
}
