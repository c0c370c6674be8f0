namespace Beacon.Hosting;

/// <summary>
/// A setting that is missing or wrong. A host that meets one prints its message as one line on stderr and exits
/// non-zero (<see cref="BeaconHost.RunAsync"/>): the operator has something to fix, and a stack trace would hide it.
/// </summary>
public sealed class BeaconConfigurationException(string message, Exception? inner = null) : Exception(message, inner);

public static class BeaconHost
{
    public const int ConfigurationExitCode = 1;

    /// <summary>Runs a host or a command; a <see cref="BeaconConfigurationException"/> becomes one line on stderr.</summary>
    public static async Task<int> RunAsync(string name, Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (Find(e) is { } problem)
        {
            Console.Error.WriteLine($"{name}: {problem.Message}");
            return ConfigurationExitCode;
        }
    }

    // The host may wrap what an extension threw (e.g. an options factory): look through the inner exceptions.
    private static BeaconConfigurationException? Find(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is BeaconConfigurationException problem) return problem;
            if (e is AggregateException { InnerExceptions.Count: 1 } single) return Find(single.InnerExceptions[0]);
        }
        return null;
    }
}
