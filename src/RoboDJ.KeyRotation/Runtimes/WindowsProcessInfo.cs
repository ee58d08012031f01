using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace RoboDJ.KeyRotation.Runtimes;

/// <summary>
/// What Windows knows of another process and .NET does not expose: its parent, executable, working folder and command
/// line. The last two live in the process's own memory (PEB, RTL_USER_PROCESS_PARAMETERS), as Process Explorer reads
/// them; each read answers null when the process is gone or this user may not look.
/// </summary>
[SupportedOSPlatform("windows")]
static class WindowsProcessInfo
{
    const uint QueryLimitedInformation = 0x1000;
    const uint QueryInformation = 0x0400;
    const uint VmRead = 0x0010;

    // 64-bit layouts: PEB.ProcessParameters, then CurrentDirectory.DosPath and CommandLine in the parameters.
    const int ProcessParametersOffset = 0x20;
    const int CurrentDirectoryOffset = 0x38;
    const int CommandLineOffset = 0x70;

    public static int ParentOf(int pid) =>
        BasicInformation(pid, QueryLimitedInformation) is { } info ? (int)info.InheritedFromUniqueProcessId : 0;

    public static string? ExecutableOf(int pid)
    {
        var handle = OpenProcess(QueryLimitedInformation, false, pid);
        if (handle == 0) return null;
        try
        {
            var buffer = new char[32768];
            var length = buffer.Length;
            return QueryFullProcessImageNameW(handle, 0, buffer, ref length) ? new string(buffer, 0, length) : null;
        }
        finally { CloseHandle(handle); }
    }

    public static (string? WorkingFolder, string? CommandLine) ParametersOf(int pid)
    {
        var handle = OpenProcess(QueryInformation | VmRead, false, pid);
        if (handle == 0) return (null, null);
        try
        {
            if (!Query(handle, out var info) || info.PebBaseAddress == 0) return (null, null);
            if (ReadPointer(handle, info.PebBaseAddress + ProcessParametersOffset) is not { } parameters || parameters == 0) return (null, null);
            return (ReadUnicodeString(handle, parameters + CurrentDirectoryOffset), ReadUnicodeString(handle, parameters + CommandLineOffset));
        }
        finally { CloseHandle(handle); }
    }

    static ProcessBasicInformation? BasicInformation(int pid, uint access)
    {
        var handle = OpenProcess(access, false, pid);
        if (handle == 0) return null;
        try { return Query(handle, out var info) ? info : null; }
        finally { CloseHandle(handle); }
    }

    static bool Query(nint handle, out ProcessBasicInformation info) =>
        NtQueryInformationProcess(handle, 0, out info, Marshal.SizeOf<ProcessBasicInformation>(), out _) == 0;

    static nint? ReadPointer(nint handle, nint address)
    {
        var bytes = new byte[8];
        return ReadProcessMemory(handle, address, bytes, bytes.Length, out var read) && read == bytes.Length ? (nint)BitConverter.ToInt64(bytes) : null;
    }

    /// <summary>A UNICODE_STRING (Length, MaximumLength, padding, Buffer) at <paramref name="address"/> in the other process.</summary>
    static string? ReadUnicodeString(nint handle, nint address)
    {
        var header = new byte[16];
        if (!ReadProcessMemory(handle, address, header, header.Length, out var read) || read != header.Length) return null;
        var length = BitConverter.ToUInt16(header, 0);
        var buffer = (nint)BitConverter.ToInt64(header, 8);
        if (length == 0 || buffer == 0) return "";
        var text = new byte[length];
        return ReadProcessMemory(handle, buffer, text, text.Length, out read) && read == text.Length ? System.Text.Encoding.Unicode.GetString(text) : null;
    }

    [StructLayout(LayoutKind.Sequential)]
    struct ProcessBasicInformation
    {
        public nint ExitStatus;
        public nint PebBaseAddress;
        public nint AffinityMask;
        public nint BasePriority;
        public nint UniqueProcessId;
        public nint InheritedFromUniqueProcessId;
    }

    [DllImport("kernel32.dll", SetLastError = true)]
    static extern nint OpenProcess(uint access, bool inherit, int pid);

    [DllImport("kernel32.dll")]
    static extern bool CloseHandle(nint handle);

    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    static extern bool QueryFullProcessImageNameW(nint process, uint flags, [Out] char[] name, ref int size);

    [DllImport("kernel32.dll", SetLastError = true)]
    static extern bool ReadProcessMemory(nint process, nint address, [Out] byte[] buffer, nint size, out nint read);

    [DllImport("ntdll.dll")]
    static extern int NtQueryInformationProcess(nint process, int informationClass, out ProcessBasicInformation information, int length, out int returned);
}
