using System.Security.Cryptography;

namespace RoboDJ.KeyRotation.Secrets;

/// <summary>
/// IVs from the system CSPRNG, drawn 4 KiB at a time per thread: a call per 16 bytes costs more than the AES work on a
/// field. Each byte handed out once and wiped from the buffer as it goes.
/// </summary>
static class RandomIv
{
    [ThreadStatic] static byte[]? pool;
    [ThreadStatic] static int used;

    public static void Fill(Span<byte> iv)
    {
        if (pool is null || used + iv.Length > pool.Length)
        {
            pool ??= new byte[4096];
            RandomNumberGenerator.Fill(pool);
            used = 0;
        }
        var taken = pool.AsSpan(used, iv.Length);
        taken.CopyTo(iv);
        taken.Clear();
        used += iv.Length;
    }
}
