namespace CoPriv.Actors.Steps;

/// <summary>
/// One party's program for one session: the ordered steps and, once they have all run, the party's result (the
/// client's prediction, say). A plan is built per session, so its steps may share state through the plan's objects.
/// </summary>
public sealed class SessionPlan
{
    private readonly Func<object?> _result;

    public SessionPlan(IEnumerable<ILayerStep> steps, Func<object?>? result = null)
    {
        Steps = steps.ToArray();
        if (Steps.Count == 0) throw new ArgumentException("a session plan needs at least one step", nameof(steps));
        foreach (var step in Steps) LayerNames.CheckStepName(step.Name);
        _result = result ?? (() => null);
    }

    public IReadOnlyList<ILayerStep> Steps { get; }

    public IReadOnlyList<string> StepNames => Steps.Select(s => s.Name).ToArray();

    /// <summary>The party's result; read once after the last step.</summary>
    public object? Result() => _result();
}
