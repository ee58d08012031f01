namespace RoboDJ.Pipeline.CI.GitHubActions;

/// <summary>A workflow attribute on the Build class that cannot become a valid workflow; the message names the attribute and the fix.</summary>
public sealed class GitHubActionsConfigurationException(string message) : Exception(message);
