using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace RoboDJ.Sandbox.App;

/// <summary>
/// A hidden top-level window on a thread of its own, so that Windows can ask the app to close as it asks the real
/// desktop app: WM_CLOSE, which `taskkill /PID n` (without /F), Task Manager's "End task" and a shutdown send. The app
/// then shuts down as on SIGTERM. A console program has no other polite stop request on Windows.
/// </summary>
[SupportedOSPlatform("windows")]
sealed class CloseRequestWindow : IDisposable
{
    const uint WmClose = 0x0010;
    const uint WmDestroy = 0x0002;
    const uint WmQuit = 0x0012;

    readonly Thread thread;
    readonly WindowProcedure procedure;
    readonly Action onClose;
    readonly TaskCompletionSource<nint> created = new(TaskCreationOptions.RunContinuationsAsynchronously);
    uint threadId;

    delegate nint WindowProcedure(nint window, uint message, nint wParam, nint lParam);

    CloseRequestWindow(string title, Action onClose)
    {
        this.onClose = onClose;
        procedure = Procedure; // kept alive for as long as the window lives
        thread = new Thread(() => Run(title)) { IsBackground = true, Name = "close requests" };
        thread.Start();
    }

    /// <summary>Opens the window; a Windows without a window station (a service) gets none, and the app is then only ever ended by force.</summary>
    public static CloseRequestWindow? Open(string title, Action onClose)
    {
        var window = new CloseRequestWindow(title, onClose);
        if (window.created.Task.Wait(TimeSpan.FromSeconds(10)) && window.created.Task.Result != 0) return window;
        Console.Error.WriteLine("RoboDJ.Sandbox: no window for close requests; only a forced stop can end this app");
        return null;
    }

    void Run(string title)
    {
        threadId = GetCurrentThreadId();
        var className = "RoboDJ.Sandbox.CloseRequests." + Environment.ProcessId;
        var windowClass = new WindowClass
        {
            Size = (uint)Marshal.SizeOf<WindowClass>(),
            Procedure = Marshal.GetFunctionPointerForDelegate(procedure),
            Instance = GetModuleHandleW(null),
            ClassName = className,
        };
        var window = RegisterClassExW(ref windowClass) == 0 ? 0 : CreateWindowExW(0, className, title, 0, 0, 0, 0, 0, 0, 0, windowClass.Instance, 0);
        created.TrySetResult(window);
        if (window == 0) return;
        while (GetMessageW(out var message, 0, 0, 0) > 0)
        {
            TranslateMessage(ref message);
            DispatchMessageW(ref message);
        }
    }

    nint Procedure(nint window, uint message, nint wParam, nint lParam)
    {
        if (message == WmClose) { onClose(); return 0; }
        if (message == WmDestroy) { PostQuitMessage(0); return 0; }
        return DefWindowProcW(window, message, wParam, lParam);
    }

    public void Dispose()
    {
        if (threadId != 0) PostThreadMessageW(threadId, WmQuit, 0, 0);
        thread.Join(TimeSpan.FromSeconds(2));
    }

    [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
    struct WindowClass
    {
        public uint Size;
        public uint Style;
        public nint Procedure;
        public int ClassExtra;
        public int WindowExtra;
        public nint Instance;
        public nint Icon;
        public nint Cursor;
        public nint Background;
        public string? MenuName;
        public string ClassName;
        public nint SmallIcon;
    }

    [StructLayout(LayoutKind.Sequential)]
    struct Message
    {
        public nint Window;
        public uint Id;
        public nint WParam;
        public nint LParam;
        public uint Time;
        public int X;
        public int Y;
    }

    [DllImport("user32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    static extern ushort RegisterClassExW(ref WindowClass windowClass);

    [DllImport("user32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    static extern nint CreateWindowExW(uint exStyle, string className, string title, uint style, int x, int y, int width, int height,
        nint parent, nint menu, nint instance, nint param);

    [DllImport("user32.dll")]
    static extern int GetMessageW(out Message message, nint window, uint min, uint max);

    [DllImport("user32.dll")]
    static extern bool TranslateMessage(ref Message message);

    [DllImport("user32.dll")]
    static extern nint DispatchMessageW(ref Message message);

    [DllImport("user32.dll")]
    static extern nint DefWindowProcW(nint window, uint message, nint wParam, nint lParam);

    [DllImport("user32.dll")]
    static extern void PostQuitMessage(int exitCode);

    [DllImport("user32.dll")]
    static extern bool PostThreadMessageW(uint threadId, uint message, nint wParam, nint lParam);

    [DllImport("kernel32.dll")]
    static extern uint GetCurrentThreadId();

    [DllImport("kernel32.dll", CharSet = CharSet.Unicode)]
    static extern nint GetModuleHandleW(string? name);
}
