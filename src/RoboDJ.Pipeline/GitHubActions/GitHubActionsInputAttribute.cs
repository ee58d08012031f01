namespace RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>
/// A <c>workflow_dispatch</c> input of the workflow named <paramref name="workflow"/>. Inputs are written in the order they
/// are declared. When <see cref="Parameter"/> is set the input feeds that build parameter: a boolean input becomes the bare
/// flag when true, any other input <c>--parameter value</c> when not empty. Inputs reach the shell through environment
/// variables, never by pasting an expression into the script, so a crafted value cannot inject commands.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GitHubActionsInputAttribute(string workflow, string name) : Attribute
{
    public string Workflow { get; } = workflow;

    public string Name { get; } = name;

    public string Description { get; set; } = "";

    /// <summary>Defaults to <see cref="GitHubActionsInputType.Choice"/> when <see cref="Options"/> is set, else String.</summary>
    public GitHubActionsInputType Type { get; set; } = GitHubActionsInputType.String;

    public string[] Options { get; set; } = [];

    public bool Required { get; set; }

    public string? Default { get; set; }

    /// <summary>The kebab-case build parameter (without dashes) this input is passed to, e.g. <c>env</c> or <c>dry-run</c>.</summary>
    public string? Parameter { get; set; }

    internal GitHubActionsInputType EffectiveType => Options.Length > 0 ? GitHubActionsInputType.Choice : Type;
}
