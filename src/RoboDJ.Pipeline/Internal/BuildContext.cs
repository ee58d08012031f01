namespace RoboDJ.Pipeline.Internal;

/// <summary>What the host hands a running build; replaced as a whole so a build never sees half-set state.</summary>
sealed class BuildContext
{
    public static readonly BuildContext Empty = new(Directory.GetCurrentDirectory(), false, CancellationToken.None, false, new Dictionary<string, string>(), new Dictionary<string, string>());

    public BuildContext(string rootDirectory, bool isDryRun, CancellationToken cancellation, bool isGitHubActions, IReadOnlyDictionary<string, string> environment,
        IReadOnlyDictionary<string, string> parameterSources)
    {
        ParameterSources = parameterSources;
        RootDirectory = rootDirectory;
        IsDryRun = isDryRun;
        Cancellation = cancellation;
        IsGitHubActions = isGitHubActions;
        Environment = environment;
        ParameterSources = parameterSources;
    }

    public string RootDirectory { get; }
    public bool IsDryRun { get; }
    public CancellationToken Cancellation { get; }
    public bool IsGitHubActions { get; }
    public IReadOnlyDictionary<string, string> Environment { get; }
    /// <summary>Where each parameter's value came from, by member name (<see cref="ValueSource"/>).</summary>
    public IReadOnlyDictionary<string, string> ParameterSources { get; }
    public string? CurrentNote { get; set; }
}
