namespace Beacon.TestSupport;

/// <summary>A temporary directory of one run's own (certificates, installation directories, files a test writes), removed at the end.</summary>
public sealed class ScratchDirectory : IDisposable
{
    public string Path { get; }

    private ScratchDirectory(string path) => Path = path;

    /// <summary>A new directory <c>$TMPDIR/&lt;prefix&gt;…</c>, removed by <see cref="Dispose"/> or else when this process exits.</summary>
    public static ScratchDirectory Create(string prefix)
    {
        var scratch = new ScratchDirectory(Directory.CreateTempSubdirectory(prefix).FullName);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => scratch.Dispose();
        return scratch;
    }

    /// <summary>A directory of its own inside this one: <c><paramref name="name"/>-&lt;random&gt;</c>.</summary>
    public string NewDirectory(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, $"{name}-{Guid.NewGuid():N}")).FullName;

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A process still writing: the temporary directory is cleaned some day.
        }
    }
}
