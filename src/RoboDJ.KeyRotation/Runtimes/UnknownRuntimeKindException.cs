namespace RoboDJ.KeyRotation.Runtimes;

public sealed class UnknownRuntimeKindException(string kind)
    : RuntimeException($"unknown runtime kind '{kind}'. Fix: set the runtime in .nuke/parameters.<env>.json to one of: docker, desktop.");
