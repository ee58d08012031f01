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

    /// <summary>
    /// The gates this target depends on, directly or through other dependencies; for a target that is not assured, also
    /// the gates above the targets that trigger it: Start, triggered by Rotate, must not run when a gate above Rotate
    /// stayed closed. An assured target triggered to clean up (Rollback after Stop) is guarded by its dependencies only.
    /// </summary>
    public IEnumerable<ExecutableTarget> GatesAbove()
    {
        var seen = new HashSet<ExecutableTarget>();
        var viaTriggers = IsAssured ? [] : TriggerSources().SelectMany(s => s.DependsOn);
        var pending = new Stack<ExecutableTarget>(DependsOn.Concat(viaTriggers));
        while (pending.TryPop(out var d))
        {
            if (!seen.Add(d)) continue;
            if (d.IsGate) yield return d;
            foreach (var next in d.DependsOn) pending.Push(next);
        }
    }

    IEnumerable<ExecutableTarget> TriggerSources()
    {
        var seen = new HashSet<ExecutableTarget>();
        var pending = new Stack<ExecutableTarget>(TriggeredBy);
        while (pending.TryPop(out var source))
        {
            if (!seen.Add(source)) continue;
            yield return source;
            foreach (var next in source.TriggeredBy) pending.Push(next);
        }
    }

    public override string ToString() => Name;
}
