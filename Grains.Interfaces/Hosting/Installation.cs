namespace Beacon.Hosting;

/// <summary>
/// Where one installation keeps its secrets (signing key, cluster certificate, database password):
/// <c>$BEACON_HOME</c>, else <c>$XDG_CONFIG_HOME/beacon</c>, else <c>~/.config/beacon</c>. run.sh computes the same
/// path, so a process started by hand (the README's token command) finds what run.sh made.
/// </summary>
public static class Installation
{
    public const string SigningKeyFile = "signing-key";
    public const string CertificateFile = "cluster.pfx";
    public const string CertificatePasswordFile = "cluster.pfx.password";

    public static string Directory
    {
        get
        {
            // Empty counts as unset, as in the shell's ${VAR:-default}.
            static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
            if (Variable("BEACON_HOME") is { } home) return home;
            var config = Variable("XDG_CONFIG_HOME")
                ?? Path.Combine(Variable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return Path.Combine(config, "beacon");
        }
    }

    public static string PathOf(string file) => Path.Combine(Directory, file);

    /// <summary>
    /// Reads a secret kept in a file (trailing newline and spaces dropped), or null when there is no such file.
    /// Anything else that stops the read is a configuration problem named by <paramref name="setting"/>.
    /// </summary>
    public static string? ReadSecret(string path, string what, string setting)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new BeaconConfigurationException($"cannot read the {what} file {path} ({setting}): {e.Message}");
        }
    }

    /// <summary>Writes a new file only its owner can read or write (in a directory only its owner can enter); never replaces one.</summary>
    public static void WriteSecret(string path, ReadOnlySpan<byte> content)
    {
        // Windows has no modes: there the user's profile directory is what keeps others out.
        var windows = OperatingSystem.IsWindows();
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir && !System.IO.Directory.Exists(dir))
        {
            if (windows) System.IO.Directory.CreateDirectory(dir);
            else System.IO.Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!windows) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var file = new FileStream(path, options);
        file.Write(content);
    }
}
