namespace RoboDJ.Pipeline.Internal;

/// <summary>
/// Turns the invoked target names into an ordered plan: the closure over DependsOn and Triggers, ordered so that
/// dependencies, After and trigger sources come first, with declaration order breaking ties.
/// </summary>
static class Planner
{
    /// <param name="skip">null: no --skip; empty: bare --skip (skip all but the invoked); else the named targets.</param>
    public static ExecutionPlan Plan(IReadOnlyList<ExecutableTarget> all, IReadOnlyList<string> invokedNames, IReadOnlyList<string>? skip)
    {
        var order = TopologicalOrder(all);
        var invoked = invokedNames.Select(n => Find(all, n)).Distinct().ToList();

        var planned = new HashSet<ExecutableTarget>();
        var queue = new Queue<ExecutableTarget>(invoked);
        while (queue.TryDequeue(out var t))
        {
            if (!planned.Add(t)) continue;
            foreach (var next in t.DependsOn.Concat(t.Triggers)) queue.Enqueue(next);
        }

        var plan = new ExecutionPlan(all, invoked, order.Where(planned.Contains).ToList());
        if (skip is not null)
        {
            var skipped = skip.Count == 0 ? plan.Ordered.Except(invoked) : skip.Select(n => Find(all, n)).Where(planned.Contains);
            foreach (var t in skipped) plan.SkipReasons[t] = "--skip";
        }
        return plan;
    }

    /// <summary>OnlyWhenStatic is decided once, at plan time; a skipped target's dependencies still run, as in NUKE.</summary>
    public static void ApplyStaticConditions(ExecutionPlan plan)
    {
        foreach (var t in plan.Ordered.Where(t => !plan.SkipReasons.ContainsKey(t)))
        {
            var failed = t.Definition.StaticConditions.FirstOrDefault(c => !c.Condition());
            if (failed.Condition is not null) plan.SkipReasons[t] = failed.Text;
        }
    }

    public static ExecutableTarget Find(IReadOnlyList<ExecutableTarget> all, string name) =>
        all.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new BuildInputException(
            $"Unknown target '{name}'.{Names.DidYouMean(name, all.Select(t => t.Name))} Valid targets: {string.Join(", ", all.Where(t => t.IsListed).Select(t => t.Name))}.");

    static IEnumerable<ExecutableTarget> Predecessors(ExecutableTarget t) => t.DependsOn.Concat(t.OrderedAfter).Concat(t.TriggeredBy);

    /// <summary>Kahn's algorithm over every target (so a cycle anywhere is reported), lowest declaration index first.</summary>
    static List<ExecutableTarget> TopologicalOrder(IReadOnlyList<ExecutableTarget> all)
    {
        var pending = all.ToDictionary(t => t, t => Predecessors(t).Distinct().Count());
        var successors = all.ToDictionary(t => t, _ => new List<ExecutableTarget>());
        foreach (var t in all)
            foreach (var p in Predecessors(t).Distinct()) successors[p].Add(t);

        var ready = new PriorityQueue<ExecutableTarget, int>();
        foreach (var (t, n) in pending) if (n == 0) ready.Enqueue(t, t.Index);
        var order = new List<ExecutableTarget>();
        while (ready.TryDequeue(out var t, out _))
        {
            order.Add(t);
            foreach (var s in successors[t])
                if (--pending[s] == 0) ready.Enqueue(s, s.Index);
        }
        if (order.Count < all.Count) throw new BuildInputException($"Circular dependency between targets: {DescribeCycle(all.Except(order).ToHashSet())}.");
        return order;
    }

    /// <summary>"A -> B -> A", where each arrow reads "waits for".</summary>
    static string DescribeCycle(HashSet<ExecutableTarget> stuck)
    {
        var path = new List<ExecutableTarget>();
        var current = stuck.OrderBy(t => t.Index).First();
        while (!path.Contains(current))
        {
            path.Add(current);
            current = Predecessors(current).Where(stuck.Contains).OrderBy(t => t.Index).First();
        }
        var cycle = path.Skip(path.IndexOf(current)).Append(current);
        return string.Join(" -> ", cycle.Select(t => t.Name));
    }
}
