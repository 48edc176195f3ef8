using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Edc.Domain.Randomization;

/// <summary>
/// xoshiro256** seeded from SHA-256 of (seed, stream name). Written out here rather than System.Random so that a
/// seed gives the same list on every platform and every future .NET version: the list must be reproducible.
/// </summary>
public sealed class SeededRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public SeededRandom(long seed, string stream)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{stream}"));
        _s0 = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(0));
        _s1 = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8));
        _s2 = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16));
        _s3 = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(24));
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform integer in [0, bound), without modulo bias (rejection sampling).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bound, 0);
        var limit = ulong.MaxValue - (ulong.MaxValue % (ulong)bound);
        ulong value;
        do
        {
            value = NextUInt64();
        }
        while (value >= limit);
        return (int)(value % (ulong)bound);
    }

    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
