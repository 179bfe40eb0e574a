namespace CoPriv.Actors.Sessions;

/// <summary>Where a session is in its life, at one party.</summary>
public enum SessionState
{
    /// <summary>The client asked the server party and waits for its answer.</summary>
    Connecting,
    /// <summary>Steps are running.</summary>
    Running,
    /// <summary>This party's steps are done; it waits for the peer's to be done too.</summary>
    Finishing,
    Completed,
    Failed,
}

/// <summary>Where one step of a session is, at one party.</summary>
public enum LayerState
{
    Pending,
    Running,
    Succeeded,
    Failed,
}
