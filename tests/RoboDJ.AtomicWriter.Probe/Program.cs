using System.Text;
using RoboDJ.Pipeline.IO;

// Usage:
//   RoboDJ.AtomicWriter.Probe <file> <bytes>      writes generation 1, 2, 3, ... of a self-checking content ("gen N\n" +
//                                                 filler + "end N\n", all exactly <bytes> long) until killed; prints
//                                                 each generation once it is in place (the kill-mid-write test)
//   RoboDJ.AtomicWriter.Probe write <file> <text> one atomic write; prints the file's attributes after it, or the
//                                                 error and exits 1 (the Windows tests, run natively or under Wine)
//   RoboDJ.AtomicWriter.Probe hold <file> <ms>    keeps <file> open without sharing for <ms>, as an app may; prints
//                                                 "holding" once it has it
//   RoboDJ.AtomicWriter.Probe attributes <file> [attribute,...]   sets (when given) and prints the file's attributes
switch (args)
{
    case ["write", var file, var text]:
        try
        {
            AtomicFile.WriteAllText(file, text);
            Console.WriteLine($"attributes: {File.GetAttributes(file)}");
            return 0;
        }
        catch (IOException e)
        {
            Console.WriteLine($"error: {e.Message}");
            return 1;
        }
    case ["hold", var file, var ms] when int.TryParse(ms, out var milliseconds):
        using (new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            Console.WriteLine("holding");
            Thread.Sleep(milliseconds);
        }
        return 0;
    case ["attributes", var file, ..]:
        if (args.Length > 2) File.SetAttributes(file, Enum.Parse<FileAttributes>(args[2]));
        Console.WriteLine($"attributes: {File.GetAttributes(file)}");
        return 0;
    case [var file, var bytes] when int.TryParse(bytes, out var size):
        for (var generation = 1; ; generation++)
        {
            AtomicFile.WriteAllBytes(file, Content(generation, size));
            Console.WriteLine($"wrote {generation}");
        }
    default:
        Console.Error.WriteLine("usage: RoboDJ.AtomicWriter.Probe <file> <bytes> | write <file> <text> | hold <file> <ms> | attributes <file> [attributes]");
        return 2;
}

static byte[] Content(int generation, int size)
{
    var head = Encoding.ASCII.GetBytes($"gen {generation}\n");
    var tail = Encoding.ASCII.GetBytes($"end {generation}\n");
    var bytes = new byte[size];
    bytes.AsSpan().Fill((byte)('a' + generation % 26));
    head.CopyTo(bytes, 0);
    tail.CopyTo(bytes, size - tail.Length);
    return bytes;
}
