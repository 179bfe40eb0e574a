using Akka.Actor;

namespace CoPriv.Actors.Remoting;

/// <summary>
/// What <see cref="RemoteTrafficAdapterProvider"/> needs to know of one Akka.Remote frame, read from its protobuf
/// encoding (<c>AkkaProtocolMessage</c> of Akka's WireFormats.proto) without decoding it: whether it carries an actor
/// message (a payload whose <c>AckAndEnvelopeContainer</c> holds an envelope — not a bare acknowledgement, nor a
/// control frame such as associate, heartbeat or disassociate), and the origin address an ASSOCIATE frame announces.
/// Only field tags and lengths are read and nothing is copied; a frame that does not parse carries no message and no
/// origin.
/// </summary>
internal static class AkkaPduFrame
{
    // AkkaProtocolMessage { bytes payload = 1; AkkaControlMessage instruction = 2; }
    private const int PayloadField = 1, InstructionField = 2;
    // AckAndEnvelopeContainer { AcknowledgementInfo ack = 1; RemoteEnvelope envelope = 2; }
    private const int EnvelopeField = 2;
    // AkkaControlMessage { CommandType commandType = 1; AkkaHandshakeInfo handshakeInfo = 2; }, ASSOCIATE = 1
    private const int CommandTypeField = 1, HandshakeInfoField = 2, AssociateCommand = 1;
    // AkkaHandshakeInfo { AddressData origin = 1; ... }
    private const int OriginField = 1;
    // AddressData { string system = 1; string hostname = 2; uint32 port = 3; string protocol = 4; }
    private const int SystemField = 1, HostnameField = 2, PortField = 3, ProtocolField = 4;

    private const int VarintType = 0, Fixed64Type = 1, LengthDelimitedType = 2, Fixed32Type = 5;

    /// <summary>Whether the frame carries one actor message (user or system: Akka's own, such as cluster gossip, count too).</summary>
    public static bool CarriesMessage(ReadOnlySpan<byte> frame) =>
        TryBytes(frame, PayloadField, out var container) && TryBytes(container, EnvelopeField, out _);

    /// <summary>
    /// The sender's transport address (<c>ssl.tcp://copriv@host:port</c>, without the scheme Akka's protocol layer adds)
    /// when the frame is an ASSOCIATE, else null.
    /// </summary>
    public static Address? AssociateOrigin(ReadOnlySpan<byte> frame)
    {
        if (!TryBytes(frame, InstructionField, out var control)
            || !TryVarint(control, CommandTypeField, out ulong command) || command != AssociateCommand
            || !TryBytes(control, HandshakeInfoField, out var handshake)
            || !TryBytes(handshake, OriginField, out var origin)
            || !TryBytes(origin, ProtocolField, out var protocol) || !TryBytes(origin, SystemField, out var system)
            || !TryBytes(origin, HostnameField, out var hostname) || !TryVarint(origin, PortField, out ulong port) || port > ushort.MaxValue)
            return null;
        try
        {
            return new Address(Utf8(protocol), Utf8(system), Utf8(hostname), (int)port);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string Utf8(ReadOnlySpan<byte> text) => System.Text.Encoding.UTF8.GetString(text);

    /// <summary>The first length-delimited field <paramref name="number"/> of a message.</summary>
    private static bool TryBytes(ReadOnlySpan<byte> message, int number, out ReadOnlySpan<byte> value)
    {
        value = default;
        while (!message.IsEmpty)
        {
            if (!TryReadVarint(ref message, out ulong tag)) return false;
            int type = (int)(tag & 7);
            if (type == LengthDelimitedType)
            {
                if (!TryReadVarint(ref message, out ulong length) || length > (ulong)message.Length) return false;
                if ((int)(tag >> 3) == number)
                {
                    value = message[..(int)length];
                    return true;
                }
                message = message[(int)length..];
            }
            else if (!Skip(ref message, type)) return false;
        }
        return false;
    }

    /// <summary>The first varint field <paramref name="number"/> of a message.</summary>
    private static bool TryVarint(ReadOnlySpan<byte> message, int number, out ulong value)
    {
        value = 0;
        while (!message.IsEmpty)
        {
            if (!TryReadVarint(ref message, out ulong tag)) return false;
            int type = (int)(tag & 7);
            if (type == VarintType && (int)(tag >> 3) == number) return TryReadVarint(ref message, out value);
            if (type == LengthDelimitedType)
            {
                if (!TryReadVarint(ref message, out ulong length) || length > (ulong)message.Length) return false;
                message = message[(int)length..];
            }
            else if (!Skip(ref message, type)) return false;
        }
        return false;
    }

    private static bool Skip(ref ReadOnlySpan<byte> message, int type)
    {
        switch (type)
        {
            case VarintType:
                return TryReadVarint(ref message, out _);
            case Fixed64Type when message.Length >= 8:
                message = message[8..];
                return true;
            case Fixed32Type when message.Length >= 4:
                message = message[4..];
                return true;
            default:
                return false;
        }
    }

    private static bool TryReadVarint(ref ReadOnlySpan<byte> message, out ulong value)
    {
        value = 0;
        for (int i = 0; i < 10 && i < message.Length; i++)
        {
            value |= (ulong)(message[i] & 0x7F) << (7 * i);
            if ((message[i] & 0x80) == 0)
            {
                message = message[(i + 1)..];
                return true;
            }
        }
        return false;
    }
}
