using System.Diagnostics;
using CoPriv.Inference.Planning;
using CoPriv.Models.Lowering;
using CoPriv.Protocols.Channels;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Crypto;
using CoPriv.Protocols.NonLinear;

namespace CoPriv.Inference.Parties;

/// <summary>
/// One party's side of a secure inference, run step by step: <see cref="RunSetup"/> once (plan check and base OTs,
/// and under <see cref="PreprocessMode.Ahead"/> the pre-processing of every layer), then <see cref="RunLayer"/> for
/// every layer of the plan in order, each time together with the peer's same call.
/// The in-process runner loops over the layers; an actor runtime can wrap each call as a step of its own. Between
/// calls the party keeps its shares of the live tensors.
/// </summary>
public abstract class PartyInference
{
    private const string PlanStream = "session/plan";

    private readonly IReadOnlyList<SecureInferencePlan.LayerOperations> _layers;
    private readonly int[] _firstOperation;
    private readonly TimeSpan[][] _operatorTimes;
    private readonly ShareStore _shares;
    private readonly LoweredProgram _program;
    private PartyContext? _context;
    private TimeSpan _layersTime;
    private object?[][]? _prepared;
    private string? _failure;

    private protected PartyInference(PartyRole role, SecureInferencePlan plan, LoweredProgram program, InferenceOptions? options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(program);
        Role = role;
        Plan = plan;
        Options = options ?? InferenceOptions.Default;
        _program = program;
        _layers = plan.OperationsFor(program);
        _firstOperation = new int[_layers.Count];
        for (int i = 1; i < _layers.Count; i++) _firstOperation[i] = _firstOperation[i - 1] + _layers[i - 1].Operations.Count;
        _operatorTimes = _layers.Select(l => new TimeSpan[l.Operations.Count]).ToArray();
        _shares = new ShareStore(program, Options.Retention);
    }

    public PartyRole Role { get; }
    public SecureInferencePlan Plan { get; }
    public InferenceOptions Options { get; }

    /// <summary>Layers finished so far; the next call is <c>RunLayer(CompletedLayers)</c>.</summary>
    public int CompletedLayers { get; private set; }

    public bool IsSetUp => _context is not null;
    public bool IsComplete => CompletedLayers == _layers.Count;

    /// <summary>This party's traffic meter (its channel's), available after <see cref="RunSetup"/>.</summary>
    public TrafficMeter Meter => Context.Meter;

    /// <summary>Wall time of <see cref="RunSetup"/>.</summary>
    public TimeSpan SetupTime { get; private set; }

    /// <summary>Wall time of the pre-processing ahead inside <see cref="RunSetup"/> (zero when the layers pre-process inline).</summary>
    public TimeSpan PreprocessingTime { get; private set; }

    /// <summary>
    /// Bytes of secrets this party held once its pre-processing ahead was done, until the online phase uses them: the
    /// linear layers' masks and product shares and the bit-triple store (zero when the layers pre-process inline).
    /// </summary>
    public long PreprocessedBytes { get; private set; }

    /// <summary>Wall time of all layers run so far (the sum of the <see cref="RunLayer"/> calls).</summary>
    public TimeSpan LayersTime => _layersTime;

    private PartyContext Context =>
        _failure is not null ? throw new InvalidOperationException($"this party's run has failed ({_failure}); start a new session")
        : _context ?? throw new InvalidOperationException("run the setup first (RunSetup)");

    /// <summary>
    /// Opens the session on this party's channel end: both parties send the plan fingerprint and check the peer's
    /// (a different model, policy or lowering fails here with a <see cref="ProtocolException"/>), then run the base
    /// OTs of both directions, booked as <see cref="Phase.Setup"/>. Under <see cref="PreprocessMode.Ahead"/> it then
    /// pre-processes every layer in order (<see cref="SecureOperation.Preprocess"/>), each operation's traffic booked to
    /// its (layer name, operator name) as pre-processing. The peer calls it at the same time.
    /// </summary>
    public void RunSetup(IChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (channel.Role != Role)
            throw new ArgumentException($"the {Role.ToString().ToLowerInvariant()} was given the {channel.Role.ToString().ToLowerInvariant()}'s channel end");
        if (_context is not null) throw new InvalidOperationException("the setup has already run");
        var clock = Stopwatch.StartNew();
        CheckPlan(channel);
        var prg = Options.Seed is { } seed ? AesPrg.FromTestSeed(seed, Role == PartyRole.Server ? 0x5e17e4UL : 0xc11e47UL) : null;
        var context = PartyContext.Create(channel, prg, Plan.Policy.Ot);
        OtDirections.RunConcurrently(context, Options.ConcurrentOtDirections);
        _shares.Put(_program.InputName, InputShare());
        _context = context;
        SetupTime = clock.Elapsed;
        if (Plan.Policy.Preprocess == PreprocessMode.Ahead) Preprocess(context);
    }

    private void Preprocess(PartyContext context)
    {
        var clock = Stopwatch.StartNew();
        var prepared = new object?[_layers.Count][];
        long held = 0;
        for (int i = 0; i < _layers.Count; i++)
        {
            var layer = _layers[i];
            prepared[i] = new object?[layer.Operations.Count];
            for (int j = 0; j < layer.Operations.Count; j++)
            {
                try
                {
                    using (context.Meter.Enter(layer.Name, layer.OperatorNames[j]))
                        prepared[i][j] = layer.Operations[j].Preprocess(context);
                }
                catch (Exception e)
                {
                    _failure = $"{layer.Name}/{layer.OperatorNames[j]} pre-processing: {e.Message}";
                    throw;
                }
                if (prepared[i][j] is { } p) held += layer.Operations[j].HeldBytes(p);
            }
        }
        CompletePendingChecks(context, "pre-processing");
        _prepared = prepared;
        PreprocessedBytes = held + BitTripleStore.Of(context).HeldBytes;
        PreprocessingTime = clock.Elapsed;
    }

    /// <summary>
    /// Runs layer <paramref name="index"/> (which must be <see cref="CompletedLayers"/>): each of its operations on
    /// this party's shares, its traffic booked to (layer name, operator name).
    /// </summary>
    public void RunLayer(int index)
    {
        var context = Context;
        if (index != CompletedLayers)
            throw new InvalidOperationException(IsComplete
                ? $"all {_layers.Count} layers have run"
                : $"layer {index} cannot run now: the layers run in order and layer {CompletedLayers} is next");
        var layer = _layers[index];
        var clock = Stopwatch.StartNew();
        for (int j = 0; j < layer.Operations.Count; j++)
        {
            var operation = layer.Operations[j];
            var opClock = Stopwatch.StartNew();
            try
            {
                using (context.Meter.Enter(layer.Name, layer.OperatorNames[j]))
                {
                    var inputs = operation.Operation.Inputs.Select(_shares.Get).ToArray();
                    var result = _prepared?[index][j] is { } prepared ? operation.Run(context, inputs, prepared) : operation.Run(context, inputs);
                    _shares.Put(operation.Operation.Output, result);
                    if (_prepared is not null) _prepared[index][j] = null;
                }
            }
            catch (Exception e)
            {
                // Half an operation leaves both parties' protocol state out of step: no layer can follow it.
                _failure = $"{layer.Name}/{layer.OperatorNames[j]}: {e.Message}";
                throw;
            }
            _shares.Release(operation.Operation.Inputs, _firstOperation[index] + j);
            _operatorTimes[index][j] = opClock.Elapsed;
        }
        CompletePendingChecks(context, layer.Name);
        _layersTime += clock.Elapsed;
        CompletedLayers++;
        Options.Progress?.Invoke(new LayerProgress(Role, index, _layers.Count, layer.Name, clock.Elapsed, _layersTime));
    }

    /// <summary>
    /// Checks a handshake still pending at the end of a run of calls; a mismatch found there fails the party like one
    /// found inside an operation.
    /// </summary>
    private void CompletePendingChecks(PartyContext context, string where)
    {
        try
        {
            context.CompletePendingChecks();
        }
        catch (Exception e)
        {
            _failure = $"{where}: {e.Message}";
            throw;
        }
    }

    /// <summary>Runs every layer not run yet, in order.</summary>
    public void RunRemainingLayers()
    {
        while (!IsComplete) RunLayer(CompletedLayers);
    }

    /// <summary>Wall time this party spent in operator <paramref name="op"/> of layer <paramref name="layer"/>.</summary>
    public TimeSpan OperatorTime(int layer, int op) => _operatorTimes[layer][op];

    /// <summary>
    /// This party's share of a tensor it still holds: the logits and the output always, every tensor with
    /// <see cref="ShareRetention.All"/>. A debugging and validation aid: the shares are this party's secrets.
    /// </summary>
    public ulong[] ShareOf(string tensor) => _shares.Get(tensor);

    /// <summary>The tensors whose shares this party keeps to the end (<see cref="InferenceOptions.Retention"/>).</summary>
    internal IReadOnlyList<string> RetainedTensors => _shares.Retained;

    /// <summary>This party's share of the program input (the client's encoded image, or zeros at the server).</summary>
    private protected abstract ulong[] InputShare();

    private void CheckPlan(IChannel channel)
    {
        using var scope = channel.Meter.Enter("session", "plan-check");
        using var phase = channel.Meter.InPhase(Phase.Setup);
        var stream = channel.Stream(PlanStream);
        var mine = Plan.Fingerprint.ToArray();
        stream.Send(mine);
        var peer = new byte[SecureInferencePlan.FingerprintBytes];
        stream.Receive(peer);
        if (!peer.AsSpan().SequenceEqual(mine))
            throw new ProtocolException(
                $"stream '{PlanStream}': the peer runs another plan than '{Plan.ModelName}' under '{Plan.Policy.Name}' " +
                $"(ℓ = {Plan.Policy.RingBits}, s = {Plan.Policy.Scale}): model, policy or lowering differ");
    }
}
