namespace RoboDJ.KeyRotation.Phased;

public sealed class UnfinishedRotationExistsException(string id, string journal)
    : Exception($"rotation {id} is unfinished ({journal}). A new rotation would shift keys past it; run ResumePhased to finish it or RollbackPhased to undo it.");

public sealed class NoUnfinishedPhasedRotationException(string keyRotationDir)
    : Exception($"no unfinished phased rotation in {keyRotationDir}. Nothing to resume or roll back; RotatePhased starts a new one.");

/// <summary>A census between phases found fields where the protocol needs none; the phase does not advance.</summary>
public sealed class PhaseCensusException(string phase, string summary, string fix)
    : Exception($"{phase}: {summary}. {fix}");

/// <summary>The single writer's config save reported fields it could not decrypt.</summary>
public sealed class SingleWriterSaveFailedException(string writer, IReadOnlyList<string> errors)
    : Exception($"the config save through {writer} could not decrypt {errors.Count} field(s): {string.Join(", ", errors.Take(3))}. " +
                "The phase does not advance; check the fields with the census, then run ResumePhased or RollbackPhased.");

/// <summary>The store does not hold the key the journal says the rotation needs.</summary>
public sealed class PhasedKeyMissingException(string what, string fingerprint, string where)
    : Exception($"{what} ({fingerprint}) is not in {where}. Restore {where} from the snapshot in the rotation's folder, then run the command again.");

/// <summary>--env is not the deployment's own ROBODJ_ENV: nothing changed.</summary>
public sealed class PhasedRotationRefusedException(string why, string fix) : Exception($"{why}. Fix: {fix}. Nothing was changed.");

/// <summary>PreflightPhased found problems (all of them, each with its fix): the phased target does not run (exit 3).</summary>
public sealed class PhasedPreflightFailedException(PhasedAction action, IReadOnlyList<string> problems)
    : Exception($"PreflightPhased refused {action}Phased ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}); nothing was changed:\n  - " + string.Join("\n  - ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
