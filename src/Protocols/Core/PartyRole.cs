namespace CoPriv.Protocols.Core;

/// <summary>The two parties of a session: the server holds the model, the client holds the input.</summary>
public enum PartyRole
{
    Server = 0,
    Client = 1,
}

public static class PartyRoleExtensions
{
    public static PartyRole Peer(this PartyRole role) => role == PartyRole.Server ? PartyRole.Client : PartyRole.Server;
}
