using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace Edc.Api.Hosting;

/// <summary>
/// Hangfire logs through one process-wide provider. This one writes to the logging of the latest instance still running:
/// in production the only one; in the tests, which run many instances in one process, never a stopped instance's disposed
/// logging. It is attached when Hangfire's configuration is first resolved and detached when the instance's services end.
/// </summary>
public sealed class HangfireLogging : ILogProvider, IDisposable
{
    private static readonly Lock Gate = new();
    private static readonly List<ILoggerFactory> Running = [];
    private static volatile AspNetCoreLogProvider? _current;
    private readonly ILoggerFactory _loggers;

    public HangfireLogging(ILoggerFactory loggers)
    {
        _loggers = loggers;
        lock (Gate)
        {
            Running.Add(loggers);
            _current = new AspNetCoreLogProvider(loggers);
        }

        LogProvider.SetCurrentLogProvider(this);
    }

    public ILog GetLogger(string name) => new CurrentInstanceLog(name);

    public void Dispose()
    {
        lock (Gate)
        {
            Running.Remove(_loggers);
            _current = Running.Count > 0 ? new AspNetCoreLogProvider(Running[^1]) : null;
        }
    }

    // Hangfire keeps its loggers for good, so each call finds the current instance's logging afresh.
    private sealed class CurrentInstanceLog(string name) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                return _current?.GetLogger(name).Log(logLevel, messageFunc, exception) ?? false;
            }
            catch (ObjectDisposedException)
            {
                return false; // that instance stopped as it wrote
            }
        }
    }
}
