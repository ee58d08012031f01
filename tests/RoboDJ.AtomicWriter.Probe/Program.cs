using System.Text;
using RoboDJ.KeyRotation.Secrets;
using RoboDJ.Pipeline.IO;

// Usage: RoboDJ.AtomicWriter.Probe <file> <bytes>. Writes generation 1, 2, 3, ... of a self-checking content
// ("gen N\n" + filler + "end N\n", all exactly <bytes> long) until killed; prints each generation once it is in place.
if (args.Length != 2 || !int.TryParse(args[1], out var size))
{
    Console.Error.WriteLine("usage: RoboDJ.AtomicWriter.Probe <file> <bytes>");
    return 2;
}
var file = args[0];
for (var generation = 1; ; generation++)
{
    AtomicFile.WriteAllBytes(file, Content(generation, size));
    Console.WriteLine($"wrote {generation}");
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
