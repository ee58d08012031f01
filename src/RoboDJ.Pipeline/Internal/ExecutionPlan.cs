namespace RoboDJ.Pipeline.Internal;

/// <summary>The targets to run, in order, and the ones already known to be skipped (with the reason).</summary>
sealed class ExecutionPlan(IReadOnlyList<ExecutableTarget> all, IReadOnlyList<ExecutableTarget> invoked, IReadOnlyList<ExecutableTarget> ordered)
{
    public IReadOnlyList<ExecutableTarget> All { get; } = all;
    public IReadOnlyList<ExecutableTarget> Invoked { get; } = invoked;
    public IReadOnlyList<ExecutableTarget> Ordered { get; } = ordered;
    public Dictionary<ExecutableTarget, string> SkipReasons { get; } = [];
    /// <summary>Static conditions that threw: the target fails with this when its turn comes.</summary>
    public Dictionary<ExecutableTarget, Exception> ConditionErrors { get; } = [];
    /// <summary>Targets named in --skip that stay in the plan because they were invoked: the operator hears about each.</summary>
    public List<ExecutableTarget> IgnoredSkips { get; } = [];

    public bool Contains(ExecutableTarget target) => Ordered.Contains(target);
}
