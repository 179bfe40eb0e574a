using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Sessions;

// Questions and commands a party answers about its sessions (used by the inspector, the CLI and tests).

/// <summary>Query to a party: answer with <see cref="PartyStatus"/>.</summary>
public sealed record GetPartyStatus : ICoPrivMessage
{
    public static readonly GetPartyStatus Instance = new();
}

/// <summary>Query to a party or session: answer with <see cref="SessionStatus"/> or <see cref="SessionNotFound"/>.</summary>
public sealed record GetSessionStatus(string SessionId) : ICoPrivMessage;

/// <summary>Command to a party: fail session <see cref="SessionId"/> on both sides with <see cref="Reason"/>.</summary>
public sealed record AbortSession(string SessionId, string Reason) : ICoPrivMessage;

/// <summary>Fact: the abort was passed to the running session.</summary>
public sealed record SessionAbortRequested(string SessionId) : ICoPrivMessage;

/// <summary>Fact: the party has no live or recent session of this id.</summary>
public sealed record SessionNotFound(string SessionId) : ICoPrivMessage;

/// <summary>One session in a party's listing.</summary>
public sealed record SessionSummary(
    string SessionId, SessionState State, int StepsDone, int StepCount, string? CurrentStep,
    long BytesSent, long BytesReceived, TimeSpan Elapsed, string? Failure)
{
    public static SessionSummary Of(SessionStatus s) => new(s.SessionId, s.State, s.StepsDone, s.Layers.Count,
        s.CurrentLayer?.Name, s.BytesSent, s.BytesReceived, s.Elapsed, s.Failure);
}

/// <summary>A party's live sessions, its most recent finished ones, and its counters since start.</summary>
public sealed record PartyStatus(
    PartyRole Role,
    string Path,
    IReadOnlyList<SessionSummary> Active,
    IReadOnlyList<SessionSummary> Recent,
    long Started,
    long Completed,
    long Failed,
    long Rejected,
    long BytesSent,
    long BytesReceived,
    TimeSpan Uptime) : ICoPrivMessage;
