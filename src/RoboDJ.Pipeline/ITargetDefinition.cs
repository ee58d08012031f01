using System.Runtime.CompilerServices;

namespace RoboDJ.Pipeline;

/// <summary>The fluent DSL a target is declared with. Relations and modifiers follow NUKE's semantics.</summary>
public interface ITargetDefinition
{
    ITargetDefinition Description(string description);

    /// <summary>The given targets run before this one, and invoking this one plans them.</summary>
    ITargetDefinition DependsOn(params Target[] targets);
    /// <summary>This target runs before the given ones, and invoking any of them plans this one.</summary>
    ITargetDefinition DependentFor(params Target[] targets);
    /// <summary>Ordering only: when both are planned, the given targets run first.</summary>
    ITargetDefinition After(params Target[] targets);
    /// <summary>Ordering only: when both are planned, this target runs first.</summary>
    ITargetDefinition Before(params Target[] targets);
    /// <summary>When this target is planned, the given ones are planned too and run after it.</summary>
    ITargetDefinition Triggers(params Target[] targets);
    /// <summary>When any of the given targets is planned, this one is planned too and runs after it.</summary>
    ITargetDefinition TriggeredBy(params Target[] targets);

    /// <summary>Evaluated once while planning; false skips the target (its dependencies still run).</summary>
    ITargetDefinition OnlyWhenStatic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? expression = null);
    /// <summary>Evaluated right before the target would run; false skips it.</summary>
    ITargetDefinition OnlyWhenDynamic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? expression = null);
    /// <summary>Checked for every planned target before any target runs: false, null, empty fails the build as bad input.</summary>
    ITargetDefinition Requires<T>(Func<T> requirement, [CallerArgumentExpression(nameof(requirement))] string? expression = null);

    /// <summary>When this target fails, the remaining targets still run (except those that depend on it).</summary>
    ITargetDefinition ProceedAfterFailure();
    /// <summary>This target runs even after another target failed or the build was cancelled (Ctrl-C).</summary>
    ITargetDefinition AssuredAfterFailure();
    /// <summary>Hidden from --help and the schema, still invocable.</summary>
    ITargetDefinition Unlisted();

    ITargetDefinition Executes(Action action);
    ITargetDefinition Executes(Action<CancellationToken> action);
    ITargetDefinition Executes(Func<Task> action);
    ITargetDefinition Executes(Func<CancellationToken, Task> action);
}
