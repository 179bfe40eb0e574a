using CoPriv.Protocols.Core;

namespace CoPriv.Protocols.Tests.Privacy;

/// <summary>
/// The privacy harness: runs a protocol <see cref="RunsPerInput"/> times with the peer's secret input A and as many
/// times with B, interleaved, the observer's own input fixed and every run with fresh party randomness (derived from
/// a fixed test seed, so the verdict is reproducible), records everything the observer receives, and judges the two
/// samples with <see cref="TranscriptStatistics"/> at an overall false-alarm rate of <see cref="FalseAlarmRate"/>.
/// </summary>
internal static class TranscriptPrivacy
{
    /// <summary>The chance that a private protocol fails one check (one protocol, one observer) by bad luck.</summary>
    public const double FalseAlarmRate = 1e-6;

    public const int RunsPerInput = 200;

    private const ulong TestSeed = 0x7072697661637931;

    public static (IReadOnlyList<string> Findings, string Summary) Check(PrivacyProtocol protocol, PartyRole observer,
        CoPriv.Protocols.Ot.OtBackend? ot = null)
    {
        ulong seed = Mix(TestSeed, StableHash(protocol.Name), (ulong)observer);
        var a = protocol.Inputs(new SecretSeeds(observer, Mix(seed, 1), Mix(seed, 2)));
        var b = protocol.Inputs(new SecretSeeds(observer, Mix(seed, 1), Mix(seed, 3)));
        if (!a.Of(observer).AsSpan().SequenceEqual(b.Of(observer)))
            throw new InvalidOperationException($"{protocol.Name}: the observer's input must not depend on the peer's seed");
        var peer = observer.Peer();
        if (a.Of(peer).Length > 0 && a.Of(peer).AsSpan().SequenceEqual(b.Of(peer)))
            throw new InvalidOperationException($"{protocol.Name}: the peer's inputs A and B are the same");

        var statistics = new TranscriptStatistics(protocol.Openings.Includes);
        using var session = ObservedSession.Create(Mix(seed, 4), ot);
        for (int run = 0; run < RunsPerInput; run++)
        {
            for (int sample = 0; sample < 2; sample++)
            {
                var inputs = sample == 0 ? a : b;
                var views = session.Run(Mix(seed, 5, (ulong)run, (ulong)sample),
                    ctx => protocol.Run(ctx, inputs.Server), ctx => protocol.Run(ctx, inputs.Client));
                statistics.Add(sample, (observer == PartyRole.Server ? views.Server : views.Client).Ordered());
            }
        }
        return statistics.Judge(FalseAlarmRate);
    }

    /// <summary>SplitMix64 over the words: distinct seeds for distinct purposes from one test seed.</summary>
    internal static ulong Mix(params ulong[] words)
    {
        ulong h = 0x9E3779B97F4A7C15;
        foreach (ulong w in words)
        {
            ulong z = h + w * 0xBF58476D1CE4E5B9 + 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            h = z ^ (z >> 31);
        }
        return h;
    }

    /// <summary>FNV-1a: string.GetHashCode changes from process to process.</summary>
    private static ulong StableHash(string text)
    {
        ulong h = 0xCBF29CE484222325;
        foreach (char c in text) h = (h ^ c) * 0x100000001B3;
        return h;
    }
}
