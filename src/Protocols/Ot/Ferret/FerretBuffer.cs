using System.Runtime.Intrinsics;

namespace CoPriv.Protocols.Ot;

/// <summary>What the backend needs of either end of a Ferret instance to keep its buffer topped up.</summary>
internal interface IFerretGenerator
{
    /// <summary>COTs made and not handed out yet.</summary>
    int Buffered { get; }

    /// <summary>Runs iterations until at least <paramref name="lowWater"/> COTs are buffered.</summary>
    void EnsureBuffered(int lowWater);
}

/// <summary>
/// The COTs a Ferret generator made and has not handed out, in the order both parties hand them out: what was left of
/// an iteration when the next one ran early (the carry), then the latest iteration's outputs after its reserve. The
/// sender and the receiver of an instance keep one each, so their sequences stay equal whenever each iterates.
/// </summary>
internal sealed class FerretBuffer
{
    private Vector128<ulong>[] _carry = [];
    private int _carryStart, _carryEnd, _start, _end;

    /// <summary>An iteration's outputs: the generator writes them here, then calls <see cref="Filled"/>.</summary>
    public Vector128<ulong>[] Outputs = [];

    public int Buffered => _carryEnd - _carryStart + _end - _start;

    /// <summary>The iteration just written hands out its outputs from <paramref name="reserve"/> to <paramref name="outputs"/>.</summary>
    public void Filled(int reserve, int outputs)
    {
        _start = reserve;
        _end = outputs;
    }

    /// <summary>
    /// Runs <paramref name="iterate"/> until at least <paramref name="lowWater"/> COTs are buffered; what is left of
    /// the current iteration moves to the carry first (fewer than lowWater COTs), to be handed out before the new ones.
    /// </summary>
    public void EnsureBuffered(int lowWater, Action iterate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lowWater);
        while (Buffered < lowWater)
        {
            int left = _end - _start, carried = _carryEnd - _carryStart;
            if (left > 0)
            {
                var carry = _carry.Length >= lowWater ? _carry : new Vector128<ulong>[lowWater];
                _carry.AsSpan(_carryStart, carried).CopyTo(carry);
                Outputs.AsSpan(_start, left).CopyTo(carry.AsSpan(carried));
                _carry = carry;
                _carryStart = 0;
                _carryEnd = carried + left;
                _start = _end;
            }
            iterate();
        }
    }

    /// <summary>The next blocks.Length COTs into <paramref name="blocks"/>, running <paramref name="iterate"/> whenever none is left.</summary>
    public void Take(Span<Vector128<ulong>> blocks, Action iterate)
    {
        int carried = Math.Min(_carryEnd - _carryStart, blocks.Length);
        _carry.AsSpan(_carryStart, carried).CopyTo(blocks);
        _carryStart += carried;
        blocks = blocks[carried..];
        while (blocks.Length > 0)
        {
            if (Buffered == 0) iterate();
            int take = Math.Min(_end - _start, blocks.Length);
            Outputs.AsSpan(_start, take).CopyTo(blocks);
            _start += take;
            blocks = blocks[take..];
        }
    }
}
