namespace RoboDJ.Pipeline.Internal;

/// <summary>A declared target with its relations resolved to other targets.</summary>
sealed class ExecutableTarget(string name, int index, Target factory, TargetDefinition definition)
{
    public string Name { get; } = name;
    /// <summary>Declaration order; the planner's tie-break.</summary>
    public int Index { get; } = index;
    public Target Factory { get; } = factory;
    public TargetDefinition Definition { get; } = definition;

    public List<ExecutableTarget> DependsOn { get; } = [];
    public List<ExecutableTarget> OrderedAfter { get; } = [];
    public List<ExecutableTarget> Triggers { get; } = [];
    /// <summary>Targets that trigger this one; it runs after them.</summary>
    public List<ExecutableTarget> TriggeredBy { get; } = [];

    public string? Description => Definition.DescriptionText;
    public bool IsListed => !Definition.IsUnlisted;
    public bool IsAssured => Definition.IsAssuredAfterFailure;
    public bool IsProceedAfterFailure => Definition.IsProceedAfterFailure;
    public bool IsGate => Definition.IsGate;
    public DependencyBehavior WhenSkipped => Definition.WhenSkippedBehavior;

    /// <summary>The gates this target depends on, directly or through other dependencies.</summary>
    public IEnumerable<ExecutableTarget> GatesAbove()
    {
        var seen = new HashSet<ExecutableTarget>();
        var pending = new Stack<ExecutableTarget>(DependsOn);
        while (pending.TryPop(out var d))
        {
            if (!seen.Add(d)) continue;
            if (d.IsGate) yield return d;
            foreach (var next in d.DependsOn) pending.Push(next);
        }
    }

    public override string ToString() => Name;
}
