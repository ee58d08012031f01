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
        if (skip is not null) ApplySkip(plan, skip);
        return plan;
    }

    /// <summary>As NUKE: --skip never skips an invoked target; here it also refuses to skip a gate.</summary>
    static void ApplySkip(ExecutionPlan plan, IReadOnlyList<string> skip)
    {
        var named = skip.Count == 0 ? plan.Ordered.Except(plan.Invoked).ToList() : skip.Select(n => Find(plan.All, n)).Distinct().Where(plan.Contains).ToList();
        var gates = named.Where(t => t.IsGate && !plan.Invoked.Contains(t)).ToList();
        if (gates.Count > 0)
        {
            var guarded = plan.Ordered.Where(t => t.GatesAbove().Intersect(gates).Any()).Select(t => t.Name).ToList();
            throw new BuildInputException(
                $"--skip cannot skip {string.Join(", ", gates.Select(g => g.Name))}: {(gates.Count == 1 ? "it is a gate" : "they are gates")} " +
                $"that must succeed before {(guarded.Count > 0 ? string.Join(", ", guarded) : "the targets that depend on it")} may run. " +
                $"Remove {(gates.Count == 1 ? "it" : "them")} from --skip; to run less, invoke a target that does not depend on {(gates.Count == 1 ? "it" : "them")}.");
        }
        foreach (var t in named)
        {
            if (plan.Invoked.Contains(t))
            {
                plan.IgnoredSkips.Add(t);
                continue;
            }
            Skip(plan, t, "--skip");
        }
    }

    /// <summary>OnlyWhenStatic is decided once, at plan time; a condition that throws fails its target when its turn comes.</summary>
    public static void ApplyStaticConditions(ExecutionPlan plan)
    {
        foreach (var t in plan.Ordered.Where(t => !plan.SkipReasons.ContainsKey(t)))
        {
            try
            {
                var failed = t.Definition.StaticConditions.FirstOrDefault(c => !c.Condition());
                if (failed.Condition is not null) Skip(plan, t, failed.SkipReason);
            }
            catch (BuildInputException) { throw; } // bad input known before anything ran stays bad input
            catch (Exception e)
            {
                plan.ConditionErrors[t] = e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e;
            }
        }
    }

    /// <summary>
    /// Marks a target skipped and, unless it says WhenSkipped(Execute), the dependencies and triggers that no other
    /// planned, unskipped target needs, as NUKE does. Gates and invoked targets are never skipped this way.
    /// </summary>
    /// <param name="done">Targets that already ran (a dynamic condition decides late): they stay as they are.</param>
    public static void Skip(ExecutionPlan plan, ExecutableTarget target, string reason, IReadOnlySet<ExecutableTarget>? done = null)
    {
        plan.SkipReasons.TryAdd(target, reason);
        if (target.WhenSkipped == DependencyBehavior.Execute) return;
        foreach (var d in target.DependsOn.Concat(target.Triggers).Distinct())
        {
            if (plan.SkipReasons.ContainsKey(d) || d.IsGate || plan.Invoked.Contains(d) || done?.Contains(d) == true) continue;
            var neededElsewhere = plan.Ordered.Any(x => x != target && !plan.SkipReasons.ContainsKey(x) && (x.DependsOn.Contains(d) || x.Triggers.Contains(d)));
            if (!neededElsewhere) Skip(plan, d, $"{target.Name} is skipped", done);
        }
    }

    /// <summary>Case-insensitive, and dashes or underscores do not count: pre-flight finds Preflight, as NUKE accepts.</summary>
    public static ExecutableTarget Find(IReadOnlyList<ExecutableTarget> all, string name) =>
        all.FirstOrDefault(t => Names.Normalize(t.Name) == Names.Normalize(name))
        ?? throw new BuildInputException(
            $"Unknown target '{EchoedInput.Shown(name)}'.{Names.DidYouMean(name, all.Select(t => t.Name))} Valid targets: {string.Join(", ", all.Where(t => t.IsListed).Select(t => t.Name))}.");

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
