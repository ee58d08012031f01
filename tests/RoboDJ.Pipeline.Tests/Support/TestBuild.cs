namespace RoboDJ.Pipeline.Tests.Support;

/// <summary>Base of the small builds the tests run: records which targets ran and the last summary.</summary>
public abstract class TestBuild : PipelineBuild
{
    public static readonly List<string> Ran = [];
    public static BuildSummary? LastSummary;

    protected Action Mark(string name) => () => Ran.Add(name);

    protected internal override void OnBuildFinished(BuildSummary summary) => LastSummary = summary;
}
