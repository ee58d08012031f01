using System.Reflection;

namespace RoboDJ.Pipeline.Internal;

/// <summary>Finds the build's <see cref="Target"/> properties, runs each declaration once and resolves its relations.</summary>
static class TargetCollector
{
    const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>Target properties in declaration order (base classes first).</summary>
    public static IReadOnlyList<PropertyInfo> TargetProperties(Type buildType)
    {
        var chain = new List<Type>();
        for (var t = buildType; t is not null && t != typeof(PipelineBuild); t = t.BaseType) chain.Insert(0, t);
        return chain.SelectMany(t => t.GetProperties(Members).Where(p => p.PropertyType == typeof(Target) && p.GetIndexParameters().Length == 0).OrderBy(p => p.MetadataToken)).ToList();
    }

    public static IReadOnlyList<ExecutableTarget> Collect(PipelineBuild build)
    {
        var targets = new List<ExecutableTarget>();
        foreach (var property in TargetProperties(build.GetType()))
        {
            var factory = (Target)property.GetValue(build)!;
            var definition = new TargetDefinition();
            factory(definition);
            targets.Add(new ExecutableTarget(property.Name, targets.Count, factory, definition));
        }

        // A Target property returns a new delegate on each read; delegates over the same method and instance are equal.
        ExecutableTarget Resolve(ExecutableTarget from, Target reference) =>
            targets.FirstOrDefault(t => t.Factory.Equals(reference))
            ?? throw new InvalidOperationException($"Target '{from.Name}' refers to a Target that is not a property of {build.GetType().Name}.");

        foreach (var t in targets)
        {
            var d = t.Definition;
            foreach (var r in d.DependsOnRefs) AddOnce(t.DependsOn, Resolve(t, r));
            foreach (var r in d.DependentForRefs) AddOnce(Resolve(t, r).DependsOn, t);
            foreach (var r in d.AfterRefs) AddOnce(t.OrderedAfter, Resolve(t, r));
            foreach (var r in d.BeforeRefs) AddOnce(Resolve(t, r).OrderedAfter, t);
            foreach (var r in d.TriggersRefs) Link(t, Resolve(t, r));
            foreach (var r in d.TriggeredByRefs) Link(Resolve(t, r), t);
        }
        return targets;
    }

    static void Link(ExecutableTarget trigger, ExecutableTarget triggered)
    {
        AddOnce(trigger.Triggers, triggered);
        AddOnce(triggered.TriggeredBy, trigger);
    }

    static void AddOnce(List<ExecutableTarget> list, ExecutableTarget item)
    {
        if (!list.Contains(item)) list.Add(item);
    }
}
