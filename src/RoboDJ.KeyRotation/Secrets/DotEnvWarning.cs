namespace RoboDJ.KeyRotation.Secrets;

/// <summary>Something in a .env file that the readers get past but an operator should fix. Names the line, never a value.</summary>
public sealed record DotEnvWarning(string File, int Line, string Problem, string Fix)
{
    public override string ToString() => $"{File}:{Line}: {Problem}. Fix: {Fix}";
}
