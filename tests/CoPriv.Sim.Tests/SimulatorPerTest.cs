namespace CoPriv.Sim.Tests;

/// <summary>
/// A fresh <see cref="Simulation"/> for every test of the deriving class (xunit makes one instance per test), disposed
/// after the test, so no run leaves actors or clocks behind for the next.
/// </summary>
public abstract class SimulatorPerTest : IAsyncLifetime
{
    protected Simulation Simulator { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Simulator = Simulation.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Simulator.DisposeAsync();
}
