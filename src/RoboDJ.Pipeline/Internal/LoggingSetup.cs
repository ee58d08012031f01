using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace RoboDJ.Pipeline.Internal;

/// <summary>
/// Points Serilog's static <see cref="Log"/> at the console sink and, for real runs, a CLEF file under
/// .nuke/temp/logs/. Disposing flushes the file and restores the previous logger.
/// </summary>
sealed class LoggingSetup : IDisposable
{
    readonly ILogger previous;
    readonly Logger logger;

    public LoggingSetup(ConsoleOutput output, Verbosity verbosity, GitHubActions? actions, string? logDirectory)
    {
        previous = Log.Logger;
        var consoleMinimum = verbosity switch
        {
            Verbosity.Quiet => LogEventLevel.Error,
            Verbosity.Minimal => LogEventLevel.Warning,
            Verbosity.Normal => LogEventLevel.Information,
            _ => LogEventLevel.Verbose,
        };
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .WriteTo.Sink(new ConsoleSink(output, consoleMinimum, verbosity == Verbosity.Verbose, actions));
        if (logDirectory is not null)
        {
            Directory.CreateDirectory(logDirectory);
            LogFile = Path.Combine(logDirectory, $"build-{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}.clef");
            configuration = configuration.WriteTo.File(new RedactingFormatter(new CompactJsonFormatter()), LogFile,
                restrictedToMinimumLevel: LogEventLevel.Debug);
        }
        logger = configuration.CreateLogger();
        Log.Logger = logger;
    }

    public string? LogFile { get; }

    public void Dispose()
    {
        Log.Logger = previous;
        logger.Dispose();
    }
}
