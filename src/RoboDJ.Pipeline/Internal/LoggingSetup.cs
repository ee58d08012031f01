using Serilog;
using Serilog.Context;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace RoboDJ.Pipeline.Internal;

/// <summary>
/// Points Serilog's static <see cref="Log"/> at the console sink and, for real runs, a CLEF file under
/// .nuke/temp/logs/. Every event carries what <see cref="LogContext"/> holds: the target (the executor pushes it) and
/// the build's own properties (<see cref="PipelineBuild.LogContextProperties"/>, e.g. the env and the rotation id).
/// The file is opened only by <see cref="StartFile"/>, once the plan is known to run, with the events logged before
/// it: a usage error leaves no file behind. Opening it removes all but the newest <see cref="KeptLogFiles"/>.
/// Disposing flushes the file and restores the previous logger.
/// </summary>
sealed class LoggingSetup : IDisposable
{
    /// <summary>How many CLEF files .nuke/temp/logs/ keeps (README, "What a run prints").</summary>
    public const int KeptLogFiles = 30;

    readonly ILogger previous;
    readonly Logger logger;
    readonly DeferredFileSink? file;
    readonly IDisposable buildProperties;

    public LoggingSetup(ConsoleOutput output, Verbosity verbosity, GitHubActions? actions, string? logDirectory, PipelineBuild build)
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
            .Enrich.FromLogContext()
            .WriteTo.Sink(new ConsoleSink(output, consoleMinimum, verbosity == Verbosity.Verbose, actions));
        if (logDirectory is not null)
            configuration = configuration.WriteTo.Sink(file = new DeferredFileSink(logDirectory), LogEventLevel.Debug);
        logger = configuration.CreateLogger();
        Log.Logger = logger;
        buildProperties = LogContext.Push(new BuildProperties(build));
    }

    public string? LogFile => file?.Path;

    /// <summary>Opens the CLEF file (with every event logged so far) and prunes the older ones.</summary>
    public void StartFile() => file?.Open();

    public void Dispose()
    {
        buildProperties.Dispose();
        Log.Logger = previous;
        logger.Dispose();
        file?.Dispose();
    }

    /// <summary>The build's properties, read at each event: a rotation id known only from Snapshot on reaches every later event.</summary>
    sealed class BuildProperties(PipelineBuild build) : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory factory)
        {
            foreach (var (name, value) in build.LogContextProperties)
                if (value is not null) logEvent.AddPropertyIfAbsent(factory.CreateProperty(name, value));
        }
    }

    /// <summary>Holds events until <see cref="Open"/>; never opened, it writes nothing and creates no file.</summary>
    sealed class DeferredFileSink(string directory) : ILogEventSink, IDisposable
    {
        readonly Lock gate = new();
        List<LogEvent>? pending = [];
        Logger? inner;

        public string? Path { get; private set; }

        public void Emit(LogEvent logEvent)
        {
            lock (gate)
            {
                if (inner is not null) inner.Write(logEvent);
                else pending?.Add(logEvent);
            }
        }

        public void Open()
        {
            lock (gate)
            {
                if (inner is not null || pending is null) return;
                Directory.CreateDirectory(directory);
                Path = System.IO.Path.Combine(directory, $"build-{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}.clef");
                inner = new LoggerConfiguration().MinimumLevel.Verbose()
                    .WriteTo.File(new RedactingFormatter(new CompactJsonFormatter()), Path)
                    .CreateLogger();
                foreach (var e in pending) inner.Write(e);
                pending = null;
            }
            Prune(directory, Path!);
        }

        /// <summary>The newest files stay; the name is the UTC start time, so name order is age order.</summary>
        static void Prune(string directory, string current)
        {
            var old = Directory.GetFiles(directory, "build-*.clef").Where(f => f != current)
                .OrderByDescending(System.IO.Path.GetFileName, StringComparer.Ordinal).Skip(KeptLogFiles - 1);
            foreach (var path in old)
            {
                try { File.Delete(path); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* another run's, or gone already */ }
            }
        }

        public void Dispose()
        {
            lock (gate)
            {
                pending = null;
                inner?.Dispose();
            }
        }
    }
}
