using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace CoPriv.Optimize.Tests;

public class GateSearchTests
{
    private static readonly double[] Values = [-7.5, -2.0, -0.25, 0.0, 0.3, 1.7, 5.9, 6.0, 6.4, 13.1, 250.75, -1e6, 3e7];

    /// <summary>Group "kept" holds a ReLU, group "removed" a ReLU6; keeping 1 of 2 at α = 0 keeps the first.</summary>
    private static GateSearch TwoGates() => new(
        [new GateGroup("kept", ["relu"], 8e8), new GateGroup("removed", ["relu6"], 3 * 8e8)], keepCount: 1, ScalarType.Float64);

    [Fact]
    public void A_kept_gate_outputs_the_activation_and_a_removed_gate_its_input_bit_for_bit()
    {
        using var gates = TwoGates();
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(Values, ScalarType.Float64);
        Assert.Equal(TorchTensors.ToDoubles(F.relu(x)), TorchTensors.ToDoubles(gates.Apply("relu", x, F.relu(x))));
        Assert.Equal(Values, TorchTensors.ToDoubles(gates.Apply("relu6", x, F.relu6(x))));
        Assert.Equal(TorchTensors.ToDoubles(F.relu(x)), TorchTensors.ToDoubles(gates.Apply("other", x, F.relu(x))));
    }

    [Fact]
    public void The_gradient_reaches_alpha_from_kept_and_removed_gates_alike()
    {
        using var gates = TwoGates();
        using var scope = torch.NewDisposeScope();
        var weights = torch.tensor(Values.Select((_, i) => 0.5 + 0.25 * i).ToArray(), ScalarType.Float64);
        var x1 = torch.tensor(Values, ScalarType.Float64, requires_grad: true);
        var x2 = torch.tensor(Values, ScalarType.Float64, requires_grad: true);
        var loss = (gates.Apply("relu", x1, F.relu(x1)) * weights).sum() + (gates.Apply("relu6", x2, F.relu6(x2)) * weights).sum();
        loss.backward();

        var w = TorchTensors.ToDoubles(weights);
        // ∂L/∂α_i = Σ ∂L/∂y·(x − σ(x)): what linearizing the group would change, whichever way it is set now.
        double expectedKept = Values.Select((v, i) => w[i] * (v - Math.Max(v, 0))).Sum();
        double expectedRemoved = Values.Select((v, i) => w[i] * (v - Math.Clamp(v, 0, 6))).Sum();
        var alphaGradient = TorchTensors.ToDoubles(gates.Alpha.grad!);
        Assert.Equal(expectedKept, alphaGradient[0], 9);
        Assert.Equal(expectedRemoved, alphaGradient[1], 9);
        Assert.NotEqual(0, alphaGradient[0]);
        // The input's gradient is the kept activation's derivative, and 1 through the removed (linear) one.
        Assert.Equal(Values.Select((v, i) => v > 0 ? w[i] : 0), TorchTensors.ToDoubles(x1.grad!));
        Assert.Equal(w, TorchTensors.ToDoubles(x2.grad!));
    }

    [Fact]
    public void The_communication_penalty_pushes_each_alpha_up_in_proportion_to_its_saving()
    {
        using var gates = TwoGates();
        using var scope = torch.NewDisposeScope();
        gates.CommunicationPenalty(1e-4).backward();
        // Savings of 1 and 3 units of 100 MB; the gradient is −λ_c·saving even at α = 0.
        var gradient = TorchTensors.ToDoubles(gates.Alpha.grad!);
        Assert.Equal(-1e-4, gradient[0], 12);
        Assert.Equal(-3e-4, gradient[1], 12);
    }

    [Fact]
    public void Reselecting_keeps_the_gates_with_the_smallest_alpha()
    {
        using var gates = TwoGates();
        using (torch.no_grad()) gates.Alpha.copy_(torch.tensor(new[] { 0.4, -0.1 }, ScalarType.Float64));
        gates.Reselect();
        Assert.Equal([false, true], gates.Kept);
    }

    [Fact]
    public void Selection_keeps_the_floor_of_the_fraction_and_breaks_ties_by_order()
    {
        Assert.Equal(7, GateSelection.KeepCount(0.7, 10));
        Assert.Equal(2, GateSelection.KeepCount(0.5, 5));
        Assert.Equal([true, true, false, false], GateSelection.Kept([0, 0, 0, 0], 2));
        Assert.Equal([false, true, true, false], GateSelection.Kept([0.3, -1, 0.1, 0.2], 2));
        Assert.Throws<ArgumentException>(() => GateSelection.KeepCount(1.5, 4));
    }
}
