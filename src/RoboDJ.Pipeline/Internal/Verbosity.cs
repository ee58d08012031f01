namespace RoboDJ.Pipeline.Internal;

/// <summary>--verbosity: quiet (errors and the summary), minimal (+warnings), normal, verbose (+debug, stack traces).</summary>
enum Verbosity { Quiet, Minimal, Normal, Verbose }
