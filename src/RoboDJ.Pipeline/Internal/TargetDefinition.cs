namespace RoboDJ.Pipeline.Internal;

/// <summary>Records what a target's fluent declaration said; <see cref="TargetCollector"/> resolves the references.</summary>
sealed class TargetDefinition : ITargetDefinition
{
    public string? DescriptionText;
    public readonly List<Target> DependsOnRefs = [], DependentForRefs = [], AfterRefs = [], BeforeRefs = [], TriggersRefs = [], TriggeredByRefs = [];
    /// <summary>Each condition with the reason in words that the plan and the summary show when it is false.</summary>
    public readonly List<(Func<bool> Condition, string SkipReason)> StaticConditions = [], DynamicConditions = [];
    public readonly List<(Func<bool> Check, string Text)> Requirements = [];
    public bool IsProceedAfterFailure, IsAssuredAfterFailure, IsUnlisted, IsGate;
    public DependencyBehavior WhenSkippedBehavior = DependencyBehavior.Skip;
    public Func<CancellationToken, Task>? Action;

    public ITargetDefinition Description(string description) { DescriptionText = description; return this; }
    public ITargetDefinition DependsOn(params Target[] targets) { DependsOnRefs.AddRange(targets); return this; }
    public ITargetDefinition DependentFor(params Target[] targets) { DependentForRefs.AddRange(targets); return this; }
    public ITargetDefinition After(params Target[] targets) { AfterRefs.AddRange(targets); return this; }
    public ITargetDefinition Before(params Target[] targets) { BeforeRefs.AddRange(targets); return this; }
    public ITargetDefinition Triggers(params Target[] targets) { TriggersRefs.AddRange(targets); return this; }
    public ITargetDefinition TriggeredBy(params Target[] targets) { TriggeredByRefs.AddRange(targets); return this; }

    public ITargetDefinition OnlyWhenStatic(Func<bool> condition, string? skipReason = null, string? expression = null)
    { StaticConditions.Add((condition, SkipReason(skipReason, expression))); return this; }

    public ITargetDefinition OnlyWhenDynamic(Func<bool> condition, string? skipReason = null, string? expression = null)
    { DynamicConditions.Add((condition, SkipReason(skipReason, expression))); return this; }

    public ITargetDefinition Requires<T>(Func<T> requirement, string? expression = null)
    { Requirements.Add((() => IsPresent(requirement()), Clean(expression))); return this; }

    public ITargetDefinition WhenSkipped(DependencyBehavior behavior) { WhenSkippedBehavior = behavior; return this; }
    public ITargetDefinition Gate() { IsGate = true; return this; }
    public ITargetDefinition ProceedAfterFailure() { IsProceedAfterFailure = true; return this; }
    public ITargetDefinition AssuredAfterFailure() { IsAssuredAfterFailure = true; return this; }
    public ITargetDefinition Unlisted() { IsUnlisted = true; return this; }

    public ITargetDefinition Executes(Action action) => Set(_ => { action(); return Task.CompletedTask; });
    public ITargetDefinition Executes(Action<CancellationToken> action) => Set(ct => { action(ct); return Task.CompletedTask; });
    public ITargetDefinition Executes(Func<Task> action) => Set(_ => action());
    public ITargetDefinition Executes(Func<CancellationToken, Task> action) => Set(action);

    ITargetDefinition Set(Func<CancellationToken, Task> action)
    {
        // Several Executes calls run in order, as NUKE allows.
        var previous = Action;
        Action = previous is null ? action : async ct => { await previous(ct); await action(ct); };
        return this;
    }

    static bool IsPresent(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => !string.IsNullOrWhiteSpace(s),
        System.Collections.ICollection c => c.Count > 0,
        _ => true,
    };

    static string SkipReason(string? words, string? expression) =>
        string.IsNullOrWhiteSpace(words) ? ReasonWords.ConditionIsFalse(Clean(expression)) : words.Trim();

    // "() => Env" names the parameter Env in a Requires message.
    static string Clean(string? expression)
    {
        var text = (expression ?? "condition").Trim();
        if (text.StartsWith("()", StringComparison.Ordinal))
        {
            var arrow = text.IndexOf("=>", StringComparison.Ordinal);
            if (arrow > 0) text = text[(arrow + 2)..].Trim();
        }
        return string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
