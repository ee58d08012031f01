using RoboDJ.KeyRotation.Journal;

namespace RoboDJ.KeyRotation.Phased;

/// <summary>The protocol's phases (issue 12) in order, as journal steps, with what each one puts in place.</summary>
public static class PhasedSteps
{
    public static readonly IReadOnlyList<RotationStep> InOrder =
        [RotationStep.PhaseRewrapUnderV1, RotationStep.PhaseNewKeyReadable, RotationStep.PhaseNewKeyPrimary, RotationStep.PhaseSingleWriterSave];

    public static int Number(RotationStep step) => InOrder.ToList().IndexOf(step);

    public static string Describe(RotationStep step) => step switch
    {
        RotationStep.PhaseRewrapUnderV1 => "phase 0: census, rewrap anything under V2 into V1",
        RotationStep.PhaseNewKeyReadable => "phase 1: V1 = old, V2 = new on every replica",
        RotationStep.PhaseNewKeyPrimary => "phase 2: V1 = new, V2 = old on every replica",
        RotationStep.PhaseSingleWriterSave => "phase 3: one config save, every field under the new V1",
        _ => step.ToString(),
    };
}
