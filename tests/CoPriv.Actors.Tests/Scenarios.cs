using System.Security.Cryptography;
using CoPriv.Inference.Sessions;
using CoPriv.Protocols.Core;

namespace CoPriv.Actors.Tests;

/// <summary>Extra steps after the sum plan, chosen by the "scenario" parameter so both parties build the same ones.</summary>
internal static class Scenarios
{
    public const string Key = "scenario";
    public const int BulkBytes = 5 * 1024 * 1024 + 123;

    public static SessionPlanner Planner => SumPlans.Planner(request =>
        Steps(request.Parameters.GetValueOrDefault(Key, ""), PartyRole.Server));

    public static Dictionary<string, string> Parameters(int length, ulong serverSeed, string scenario = "")
    {
        var parameters = SumPlans.Parameters(length, serverSeed);
        parameters[Key] = scenario;
        return parameters;
    }

    public static SessionPlan ClientPlan(ulong clientSeed, int length, string scenario = "") =>
        SumPlans.ClientPlan(clientSeed, length, Steps(scenario, PartyRole.Client));

    public static ILayerStep[] Steps(string scenario, PartyRole role) => scenario switch
    {
        "" => [],
        "boom-server" => [Boom(failing: role == PartyRole.Server)],
        "boom-client" => [Boom(failing: role == PartyRole.Client)],
        "bulk" => [Bulk()],
        _ => throw new ArgumentException($"unknown scenario '{scenario}'"),
    };

    /// <summary>The failing party throws after hearing from the peer, who by then waits in a receive.</summary>
    private static LayerStep Boom(bool failing) => new("boom", context =>
    {
        var stream = context.Channel.Stream("boom");
        if (failing)
        {
            stream.Receive(new byte[8]);
            throw new InvalidOperationException("injected fault");
        }
        stream.Send(new byte[8]);
        stream.Receive(new byte[8]);
    });

    /// <summary>The client sends one multi-MiB message and its hash; the server checks they match.</summary>
    private static LayerStep Bulk() => new("bulk", context =>
    {
        var bulk = context.Channel.Stream("bulk");
        var digest = context.Channel.Stream("bulk-digest");
        if (context.Role == PartyRole.Client)
        {
            var data = new byte[BulkBytes];
            new Random(99).NextBytes(data);
            bulk.Send(data);
            digest.Send(SHA256.HashData(data));
        }
        else
        {
            var data = new byte[BulkBytes];
            bulk.Receive(data);
            var expected = new byte[32];
            digest.Receive(expected);
            if (!SHA256.HashData(data).AsSpan().SequenceEqual(expected))
                throw new ProtocolException("the bulk message arrived corrupted");
        }
    });
}
