using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RoboDJ.Pipeline.IO;

/// <summary>
/// The one reader of every file a run takes as input (.env, config JSON, the env contract, the journal, a snapshot and
/// its manifest, the fleet file, agent locks). It reads regular files only: a symlink is followed and its final target
/// named in every error; a folder, a FIFO, a device, a socket, a dangling link or a link loop is refused as what it is,
/// before anything opens it, so nothing ever waits on a pipe. What it opened is checked again through the open handle
/// (a swap in between is refused too). The size is bounded by the caller's limit, and a read honours cancellation
/// between chunks. The bytes are the caller's to decode (strictly: <see cref="Utf8Text"/>).
/// </summary>
public static class InputFile
{
    const int MaxLinkHops = 40;
    const int Chunk = 1 << 20;

    /// <summary>Opens a regular file of at most <paramref name="maxBytes"/> bytes for reading, or throws <see cref="InputFileException"/>.</summary>
    /// <param name="fix">What the operator should do when the file is not there or not a file (a default says it generally).</param>
    public static FileStream Open(string path, long maxBytes, string? fix = null) => Open(path, maxBytes, fix, out _);

    static FileStream Open(string path, long maxBytes, string? fix, out string shown)
    {
        (var target, shown) = Resolve(path, fix);
        var status = FileStatus.Of(target);
        if (status.Kind != FileKind.Regular) throw NotAFile(shown, status.Kind, fix);
        if (status.Size > maxBytes) throw TooBig(shown, status.Size, maxBytes);
        return OpenRegular(target, shown, status, fix);
    }

    /// <summary>The whole file, read in chunks that each honour <paramref name="cancellationToken"/>.</summary>
    public static byte[] ReadAllBytes(string path, long maxBytes, CancellationToken cancellationToken = default, string? fix = null)
    {
        using var stream = Open(path, maxBytes, fix, out var shown);
        var buffer = new MemoryStream((int)Math.Min(stream.Length, maxBytes));
        var chunk = new byte[(int)Math.Min(Chunk, maxBytes + 1)];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            buffer.Write(chunk, 0, read);
            // It may grow while it is read: the limit holds for what is read, not only for what stat said.
            if (buffer.Length > maxBytes) throw TooBig(shown, buffer.Length, maxBytes);
        }
        return buffer.ToArray();
    }

    /// <summary>Why <paramref name="path"/> cannot be read as a regular file (missing, a folder, a FIFO, a dangling link...), or null when it can.</summary>
    public static string? Problem(string path)
    {
        try
        {
            var (target, shown) = Resolve(path, null);
            var kind = FileStatus.Of(target).Kind;
            return kind == FileKind.Regular ? null : $"{shown} {FileStatus.Describe(kind)}";
        }
        catch (InputFileException e) { return e.Problem; }
    }

    /// <summary>The final target of a chain of links (the path itself when it is none); a loop or a dangling link is an <see cref="InputFileException"/>.</summary>
    public static (string Target, string Shown) Resolve(string path, string? fix)
    {
        var full = Path.GetFullPath(path);
        var current = full;
        for (var hop = 0; hop <= MaxLinkHops; hop++)
        {
            var status = FileStatus.Of(current);
            if (status.Kind != FileKind.Link)
            {
                if (status.Kind == FileKind.Missing && current != full)
                    throw new InputFileException(full, $"{full} is a symbolic link to {current}, which does not exist (a dangling link)",
                        fix ?? $"point the link at the real file (`ln -sfn <file> {full}`), or replace the link with the file itself");
                if (status.Kind == FileKind.Missing)
                    throw new InputFileException(full, $"{full} does not exist: the file is missing", fix ?? "check the deployment root, or restore the file from the last snapshot");
                return (current, Shown(full, current));
            }
            var link = new FileInfo(current).LinkTarget!;
            current = Path.GetFullPath(link, Path.GetDirectoryName(current)!);
        }
        throw new InputFileException(full, $"{full} is a symbolic link that never reaches a file (a link loop, more than {MaxLinkHops} links deep)",
            $"remove the loop: point {full} at the real file, or replace the link with the file itself");
    }

    static string Shown(string full, string target) => target == Path.GetFullPath(full) ? target : $"{Path.GetFullPath(full)} (a symbolic link to {target})";

    static InputFileException NotAFile(string shown, FileKind kind, string? fix) => new(shown, $"{shown} {FileStatus.Describe(kind)}",
        kind == FileKind.Missing ? fix ?? "check the deployment root, or restore the file from the last snapshot"
        : fix is null ? "replace it with the regular file it should be (restore it from the last snapshot)" : $"replace it with a regular file: {fix}");

    static InputFileException TooBig(string shown, long size, long maxBytes) => new(shown,
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{shown} is {size:N0} bytes, over the limit of {maxBytes:N0} bytes for this file (README, deployment contract)"),
        "check that it is the right file (a runaway write, or a link to the wrong place), and trim it to what the app needs");

    static FileStream OpenRegular(string target, string shown, FileStatus checkedStatus, string? fix)
    {
        if (!OperatingSystem.IsLinux())
            return new FileStream(target, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete, BufferSize = 0 });
        // O_NONBLOCK: should a FIFO have been swapped in since the check, open returns at once instead of waiting.
        var fd = open(target, ORdOnly | ONoCtty | ONonBlock | OCloExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new InputFileException(shown, $"{shown} cannot be opened ({(errno == EAccess ? "permission denied" : $"errno {errno}")})",
                errno == EAccess ? "give the build's user read access to it" : "check the file and its folder");
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var opened = FileStatus.Of(handle);
        if (opened.Kind != FileKind.Regular || opened.Identity != checkedStatus.Identity)
        {
            handle.Dispose();
            throw opened.Kind != FileKind.Regular ? NotAFile(shown, opened.Kind, fix)
                : new InputFileException(shown, $"{shown} was replaced while it was opened", "run again once nothing else writes the deployment's files");
        }
        return new FileStream(handle, FileAccess.Read, bufferSize: 0);
    }

    const int ORdOnly = 0, ONoCtty = 0x100, ONonBlock = 0x800, OCloExec = 0x80000;
    const int EAccess = 13;

    [DllImport("libc", SetLastError = true)]
    static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
}

/// <summary>An input file that cannot be read as what it should be. Names the file (and a link's final target), the problem and the fix; never its content.</summary>
public sealed class InputFileException(string file, string problem, string fix) : IOException($"{problem}. Fix: {fix}")
{
    public string File { get; } = file;
    public string Problem { get; } = problem;
    public string Fix { get; } = fix;
}
