namespace RoboDJ.Pipeline;

/// <summary>A target, written as in NUKE: <c>Target Rotate => _ => _.DependsOn(Stop).Executes(...)</c>.</summary>
public delegate ITargetDefinition Target(ITargetDefinition _);
