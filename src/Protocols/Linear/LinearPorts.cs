using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.Ot;

namespace CoPriv.Protocols.Linear;

/// <summary>The parts of a party's session a linear layer uses: its channel, its private PRG and both OT directions.</summary>
internal readonly record struct LinearPorts(PartyRole Role, IChannel Channel, AesPrg Prg, IOtSender Sender, IOtReceiver Receiver)
{
    public TrafficMeter Meter => Channel.Meter;

    public static LinearPorts From(PartyContext ctx) => new(ctx.Role, ctx.Channel, ctx.Prg, ctx.Ot.Sender, ctx.Ot.Receiver);
}
