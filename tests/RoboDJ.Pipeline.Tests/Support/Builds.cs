namespace RoboDJ.Pipeline.Tests.Support;

// Small builds, one per scenario family. Declaration order matters: it is the planner's tie-break.

public class ChainBuild : TestBuild
{
    Target A => _ => _.Description("first step").Executes(Mark(nameof(A)));
    Target B => _ => _.DependsOn(A).Executes(Mark(nameof(B)));
    public Target C => _ => _.DependsOn(B).Executes(Mark(nameof(C)));
}

public class RelationsBuild : TestBuild
{
    Target Clean => _ => _.Before(Restore).Executes(Mark(nameof(Clean)));
    Target Restore => _ => _.Executes(Mark(nameof(Restore)));
    Target Compile => _ => _.DependsOn(Restore).Executes(Mark(nameof(Compile)));
    Target Pack => _ => _.After(Compile).Executes(Mark(nameof(Pack)));
    Target Setup => _ => _.DependentFor(Compile).Executes(Mark(nameof(Setup)));
    Target Stop => _ => _.Triggers(Start).Executes(Mark(nameof(Stop)));
    Target Start => _ => _.Executes(Mark(nameof(Start)));
    Target Report => _ => _.TriggeredBy(Start).Executes(Mark(nameof(Report)));
}

public class TieBreakBuild : TestBuild
{
    Target Zulu => _ => _.Executes(Mark(nameof(Zulu)));
    Target Alpha => _ => _.Executes(Mark(nameof(Alpha)));
    Target Mike => _ => _.Executes(Mark(nameof(Mike)));
    Target All => _ => _.DependsOn(Mike, Alpha, Zulu).Executes(Mark(nameof(All)));
}

public class CycleBuild : TestBuild
{
    Target Ok => _ => _.Executes(Mark(nameof(Ok)));
    Target A => _ => _.DependsOn(B).Executes(Mark(nameof(A)));
    Target B => _ => _.DependsOn(A).Executes(Mark(nameof(B)));
}

public class FailureBuild : TestBuild
{
    Target Prepare => _ => _.Executes(Mark(nameof(Prepare)));
    Target Fragile => _ => _.DependsOn(Prepare).Executes(() => { Ran.Add(nameof(Fragile)); throw new InvalidOperationException("the disk is full"); });
    Target Tolerant => _ => _.DependsOn(Prepare).ProceedAfterFailure().Executes(() => { Ran.Add(nameof(Tolerant)); throw new InvalidOperationException("flaky"); });
    Target AfterTolerant => _ => _.DependsOn(Tolerant).Executes(Mark(nameof(AfterTolerant)));
    Target Independent => _ => _.After(Fragile, Tolerant).Executes(Mark(nameof(Independent)));
    Target Cleanup => _ => _.After(Fragile, Tolerant, Independent, AfterTolerant).AssuredAfterFailure().Executes(Mark(nameof(Cleanup)));
}

public class CancellationBuild : TestBuild
{
    public static CancellationTokenSource? Interrupt;
    public static bool AssuredTokenWasCancelled, AssuredSawBuildCancelled;

    Target Work => _ => _.Executes(async ct =>
    {
        Ran.Add(nameof(Work));
        Interrupt!.Cancel();
        await Task.Delay(Timeout.Infinite, ct);
    });
    Target Next => _ => _.DependsOn(Work).Executes(Mark(nameof(Next)));
    Target Restore => _ => _.After(Next).AssuredAfterFailure().Executes(ct => { Ran.Add(nameof(Restore)); AssuredTokenWasCancelled = ct.IsCancellationRequested; AssuredSawBuildCancelled = Cancellation.IsCancellationRequested; });
    Target All => _ => _.DependsOn(Next, Restore);
}

public class ConditionBuild : TestBuild
{
    [Parameter("Turns the optional step on")] readonly bool Optional;
    public static int StaticEvaluations;
    bool flag;

    Target Base => _ => _.Executes(Mark(nameof(Base)));
    Target Static => _ => _.DependsOn(Base).OnlyWhenStatic(() => Optional && Count(), "the optional step is off").Executes(Mark(nameof(Static)));
    Target Unworded => _ => _.OnlyWhenStatic(() => Optional && !HasNoGitHubToken(Base)).Executes(Mark(nameof(Unworded)));
    Target Flip => _ => _.Executes(() => { Ran.Add(nameof(Flip)); flag = true; });
    Target Dynamic => _ => _.DependsOn(Flip).OnlyWhenDynamic(() => flag).Executes(Mark(nameof(Dynamic)));
    Target NeverDynamic => _ => _.DependsOn(Flip).OnlyWhenDynamic(() => !flag, "the flag is up").Executes(Mark(nameof(NeverDynamic)));

    bool Count() { StaticEvaluations++; return true; }
    static bool HasNoGitHubToken(Target _) => false;
}

public class RequiresBuild : TestBuild
{
    [Parameter("Deployment environment")] readonly string? Env;
    [Parameter("How many")] readonly int Count;

    Target First => _ => _.Executes(Mark(nameof(First)));
    Target NeedsEnv => _ => _.DependsOn(First).Requires(() => Env).Executes(Mark(nameof(NeedsEnv)));
    Target NeedsCount => _ => _.DependsOn(First).Requires(() => Count > 0).Executes(Mark(nameof(NeedsCount)));
    Target Report => _ => _.DependsOn(NeedsEnv).Executes(Mark(nameof(Report)));
}

public enum Runtime { Docker, Desktop }

public class ParametersBuild : TestBuild
{
    public static ParametersBuild? Last;

    [Parameter("Deployment environment", ValidValues = new[] { "staging", "production", "sandbox" })] public readonly string? Env;
    [Parameter("Runtime kind")] public readonly Runtime Runtime = Runtime.Docker;
    [Parameter("Compose project")] public readonly string ComposeProject = "robodj";
    [Parameter("Seconds to wait")] public TimeSpan? StartTimeout { get; }
    [Parameter("Retry count")] public readonly int Retries = 3;
    [Parameter("Ratio")] public readonly double Ratio;
    [Parameter("Break a stale lock", CommandLineOnly = true)] public readonly bool BreakLock;
    [Parameter("Labels")] public readonly string[] Labels = [];
    [Parameter("Dashboard password"), Secret] public readonly string? DashboardPassword;
    [Parameter("Type production to rotate production", CommandLineOnly = true)] public readonly string? Confirm;
    [Parameter("Where the service listens", Check = typeof(LoopbackOnly))] public readonly string? Endpoint;
    [Parameter("Announcement channels", Check = typeof(ChannelNames))] public readonly string[] Channels = ["log"];
    [Parameter("A server root")] public readonly string? BaseUrl;

    public IReadOnlyDictionary<string, string> Sources => new[] { nameof(ComposeProject), nameof(Retries), nameof(Ratio), nameof(Env) }.ToDictionary(n => n, SourceOf);

    Target Show => _ => _.Executes(() => { Last = this; });
}

public sealed class LoopbackOnly : IParameterCheck
{
    public string? Problem(string value) => value.StartsWith("http://127.0.0.1:", StringComparison.Ordinal) ? null : "give it as http://127.0.0.1:<port>/.";
}

public sealed class ChannelNames : IParameterCheck
{
    public IReadOnlyList<string> ValidValues => ["log", "github"];
}

public class SecretBuild : TestBuild
{
    [Parameter("Dashboard password"), Secret] readonly string? DashboardPassword;

    Target Login => _ => _.Description("logs in").Requires(() => DashboardPassword).Executes(() =>
    {
        Serilog.Log.Information("Logging in with {Password}", DashboardPassword);
        Serilog.Log.Warning("Password was {Password}", DashboardPassword);
        Note($"used {DashboardPassword}");
    });
    Target Fail => _ => _.DependsOn(Login).Executes(() => throw new InvalidOperationException($"login refused for {DashboardPassword}"));
}

public class NotesBuild : TestBuild
{
    public static bool SawDryRun;
    public static CancellationToken Token;

    Target Async => _ => _.Description("async with a token").Executes(async ct =>
    {
        await Task.Yield();
        Token = ct;
        SawDryRun = IsDryRun;
        Ran.Add(nameof(Async));
        Note("3 containers stopped");
    });
    Target Hidden => _ => _.Unlisted().DependsOn(Async).Executes(Mark(nameof(Hidden)));
    Target Warns => _ => _.Executes(() => Serilog.Log.Warning("disk almost full"));
}

public class ExitCodeBuild : TestBuild
{
    Target Rotate => _ => _.Executes(() => throw new InvalidOperationException("boom"));
    Target Rollback => _ => _.After(Rotate).AssuredAfterFailure().Executes(Mark(nameof(Rollback)));

    protected internal override int GetExitCode(BuildSummary summary) =>
        summary.Outcome == BuildOutcome.Failed && summary.Succeeded(nameof(Rollback)) ? 10 : base.GetExitCode(summary);
}

public class OverloadsBuild : TestBuild
{
    Target Sync => _ => _.Executes(() => Ran.Add("Action"));
    Target SyncToken => _ => _.Executes(ct => { Ran.Add("Action<CancellationToken>"); });
    Target AsyncPlain => _ => _.Executes(async () => { await Task.Yield(); Ran.Add("Func<Task>"); });
    Target AsyncToken => _ => _.Executes(ct => Record(ct));
    Target Twice => _ => _.Executes(() => Ran.Add("first")).Executes(() => Ran.Add("second"));
    Target All => _ => _.DependsOn(Sync, SyncToken, AsyncPlain, AsyncToken, Twice);

    static async Task Record(CancellationToken ct)
    {
        await Task.Delay(1, ct);
        Ran.Add("Func<CancellationToken, Task>");
    }
}

public class GateBuild : TestBuild
{
    [Parameter("Makes the gate refuse")] readonly bool Refuse;
    [Parameter("Makes the gate's static condition false")] readonly bool CloseGate;

    Target Setup => _ => _.Executes(Mark(nameof(Setup)));
    Target Check => _ => _.Gate().DependsOn(Setup).OnlyWhenStatic(() => !CloseGate)
        .Executes(() => { Ran.Add(nameof(Check)); if (Refuse) throw new InvalidOperationException("refused"); });
    Target Prepare => _ => _.DependsOn(Check).Executes(Mark(nameof(Prepare)));
    Target Change => _ => _.DependsOn(Prepare).Executes(Mark(nameof(Change)));
    Target Cleanup => _ => _.DependsOn(Prepare).After(Change).AssuredAfterFailure().Executes(Mark(nameof(Cleanup)));
    Target Report => _ => _.After(Change, Cleanup).AssuredAfterFailure().Executes(Mark(nameof(Report)));
    Target All => _ => _.DependsOn(Change, Cleanup).Triggers(Report);
}

public class TriggeredGateBuild : TestBuild
{
    [Parameter("Makes the gate's static condition false")] readonly bool CloseGate;

    Target Check => _ => _.Gate().OnlyWhenStatic(() => !CloseGate).Executes(Mark(nameof(Check)));
    Target Change => _ => _.DependsOn(Check).Triggers(Follow).Executes(Mark(nameof(Change)));
    Target Follow => _ => _.After(Change).Triggers(Final).Executes(Mark(nameof(Follow)));
    Target Final => _ => _.After(Follow).Executes(Mark(nameof(Final)));
    Target Cleanup => _ => _.TriggeredBy(Change).After(Final).AssuredAfterFailure().Executes(Mark(nameof(Cleanup)));
}

public class SkipBehaviorBuild : TestBuild
{
    [Parameter("Makes Middle's condition false")] readonly bool NoMiddle;

    Target Shared => _ => _.Executes(Mark(nameof(Shared)));
    Target Base => _ => _.Executes(Mark(nameof(Base)));
    Target Middle => _ => _.DependsOn(Base, Shared).OnlyWhenStatic(() => !NoMiddle).Executes(Mark(nameof(Middle)));
    Target KeepsBase => _ => _.DependsOn(Base).WhenSkipped(DependencyBehavior.Execute).Executes(Mark(nameof(KeepsBase)));
    Target Other => _ => _.DependsOn(Shared).Executes(Mark(nameof(Other)));
    Target Top => _ => _.DependsOn(Middle, Other).Executes(Mark(nameof(Top)));
    Target Wrapper => _ => _.DependsOn(KeepsBase).Executes(Mark(nameof(Wrapper)));
    Target PreFlight => _ => _.Executes(Mark(nameof(PreFlight)));
}

public class ThrowingConditionBuild : TestBuild
{
    [Parameter("Makes the static condition throw")] readonly bool ThrowStatic;

    Target First => _ => _.Executes(Mark(nameof(First)));
    Target Fragile => _ => _.DependsOn(First).OnlyWhenDynamic(() => Explode()).Executes(Mark(nameof(Fragile)));
    Target Planned => _ => _.DependsOn(First).OnlyWhenStatic(() => !ThrowStatic || Explode()).Executes(Mark(nameof(Planned)));
    Target Next => _ => _.After(Fragile, Planned).Executes(Mark(nameof(Next)));
    Target Restore => _ => _.After(Next).AssuredAfterFailure().Executes(Mark(nameof(Restore)));
    Target All => _ => _.DependsOn(Fragile, Next, Restore);
    Target AllStatic => _ => _.DependsOn(Planned, Next, Restore);

    static bool Explode() => throw new InvalidOperationException("the repository is not set; pass --repository owner/name");
}

public class MinimumBuild : TestBuild
{
    public static MinimumBuild? Last;
    [Parameter("Seconds to wait", Minimum = 1)] public readonly int Timeout = 30;
    [Parameter("Ratio", Minimum = 0.5)] public readonly double Ratio = 1;

    Target Show => _ => _.Executes(() => { Last = this; });
}

public class GitHubBuild : TestBuild
{
    public static GitHubBuild? Last;
    [Parameter("owner/name")] public readonly string? GitHubRepository;

    Target Show => _ => _.Executes(() => { Last = this; });
}

public class InvokedBuild : TestBuild
{
    public static readonly List<string> Seen = [];

    Target First => _ => _.Executes(() => Seen.Add($"First invoked: {IsInvoked(First)}"));
    Target Second => _ => _.DependsOn(First).Executes(() => Seen.Add($"Second invoked: {IsInvoked(Second)}"));
}

public class LongNoteBuild : TestBuild
{
    public const string Words = "the quick brown fox jumps over the lazy dog while the rotation keeps every field readable under the new key";
    public static readonly string LongNote = string.Join(" ", Enumerable.Repeat(Words, 4)) + " /a/very/long/path/" + new string('x', 150);

    public const string PathNote = "PASS after byte 307 in /srv/robodj-staging/deployments/current/config/logs/startup_safety_events.jsonl; census: 9 field(s) under the new V1";

    Target Report => _ => _.Executes(() => Note(LongNote));
    Target Paths => _ => _.Executes(() => Note(PathNote));

    protected internal override void OnBuildFinished(BuildSummary summary)
    {
        base.OnBuildFinished(summary);
        Serilog.Log.Warning("closing words from the build");
    }
}

[HelpGroup("Everyday", nameof(Rotate), nameof(Status))]
[HelpGroup("Replicated", nameof(RotateFleet))]
public class GroupedBuild : TestBuild
{
    public const string LongDescription = "Rotates every host of the fleet one after another, verifying each host's startup log, dashboard and config save before it goes on to the next one, so that no host is ever left behind";

    [Parameter("A parameter whose description is long enough to need three lines at eighty columns: " + LongDescription)]
    readonly string? FleetFileWithALongNameOverflowingTheColumn;

    Target Preflight => _ => _.Description("checks").Gate().Executes(Mark(nameof(Preflight)));
    Target RotateFleet => _ => _.Description(LongDescription).DependsOn(Preflight).Executes(Mark(nameof(RotateFleet)));
    Target Status => _ => _.Description("what the deployment runs").Executes(Mark(nameof(Status)));
    Target Hidden => _ => _.Unlisted().DependentFor(Rotate).Executes(Mark(nameof(Hidden)));
    public Target Rotate => _ => _.Description("the main job").DependsOn(Preflight).Executes(Mark(nameof(Rotate)));
}

public class LogContextBuild : TestBuild
{
    string? rotation;

    protected internal override IEnumerable<KeyValuePair<string, object?>> LogContextProperties => [new("Env", "staging"), new("RotationId", rotation)];

    Target Open => _ => _.Executes(() =>
    {
        Serilog.Log.Information("before the rotation opens");
        rotation = "20261203-101500-ab12";
        Serilog.Log.Information("rotation {Rotation} opened", rotation);
    });
    Target Work => _ => _.DependsOn(Open).Executes(() => Task.Run(() => Serilog.Log.Warning("from another thread")));
}
