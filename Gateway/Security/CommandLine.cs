namespace Beacon.Gateway.Security;

/// <summary>The gateway's commands' arguments (<c>token</c>, <c>account</c>): <c>--name value</c> pairs.</summary>
public static class CommandLine
{
    /// <summary>The value after <paramref name="name"/>, or null when the option is absent or last.</summary>
    public static string? Value(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
}
