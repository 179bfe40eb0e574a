using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Sessions;

// The messages the two parties' actors exchange to open, finish and abort a session. Besides these, only the
// channel's PayloadChunk / PayloadCredit travel between the parties.

/// <summary>
/// Command from a client session to the server party: open session <see cref="SessionId"/> that runs
/// <see cref="StepNames"/> in this order, with the given parameters (model name, ring bits, …). The sender is the
/// client session actor, which becomes the server session's peer. The server learns only what is written here.
/// </summary>
public sealed record OpenSession(
    string SessionId, IReadOnlyList<string> StepNames, IReadOnlyDictionary<string, string> Parameters) : ICoPrivMessage;

/// <summary>
/// Fact from the server session to the client session: the session runs; the sender is the peer from now on. With a
/// <see cref="DataPlane"/>, the protocol bytes go over that direct connection instead of actor messages.
/// </summary>
public sealed record SessionAccepted(string SessionId, DataPlaneOffer? DataPlane = null) : ICoPrivMessage;

/// <summary>
/// Where the client connects the session's data plane: the server's listener, the token that binds the connection to
/// this session (random, single use), and whether the connection is TLS (pinned to the server's certificate).
/// </summary>
public sealed record DataPlaneOffer(string Host, int Port, string Token, bool Tls) : ICoPrivMessage;

/// <summary>Fact from the server party to a client session: the session will not run, and why.</summary>
public sealed record SessionRejected(string SessionId, string Reason) : ICoPrivMessage;

/// <summary>
/// Fact from one session to its peer: all of this party's steps are done, so nothing more will be sent on the
/// channel. Because it follows every chunk of the sender, its arrival means all the sender's bytes have arrived.
/// Carries the sender's traffic (bytes and rounds per layer, operator and phase: public, as the plan predicts them),
/// so that either party can report both directions and both parties' rounds.
/// </summary>
public sealed record SessionFinished(string SessionId, IReadOnlyList<TrafficRecord> Traffic) : ICoPrivMessage;

/// <summary>
/// Fact from one session to its peer: the session failed at <see cref="By"/>'s end (in step <see cref="Step"/> when
/// known) and its channel end is closed; the receiver fails its own end with the same reason.
/// </summary>
public sealed record SessionAborted(string SessionId, PartyRole By, string? Step, string Reason) : ICoPrivMessage;
