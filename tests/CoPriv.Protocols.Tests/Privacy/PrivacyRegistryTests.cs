using System.Reflection;
using CoPriv.Protocols.Core;
using CoPriv.Protocols.Linear;
using CoPriv.Protocols.NonLinear;
using Xunit.Abstractions;

namespace CoPriv.Protocols.Tests.Privacy;

/// <summary>
/// Keeps the privacy harness complete: a new protocol class fails this test until it is registered in
/// <see cref="PrivacyRegistry"/> or excluded below with the reason.
/// </summary>
public sealed class PrivacyRegistryTests(ITestOutputHelper output)
{
    private static readonly string[] ProtocolNamespaces = ["CoPriv.Protocols.NonLinear", "CoPriv.Protocols.Linear"];

    /// <summary>Classes that take part in a session but are no protocol of their own, and where they are covered.</summary>
    private static readonly Dictionary<Type, string> NotProtocols = new()
    {
        [typeof(AndGates)] = "one layer of AND gates, run and its openings checked inside AND and every comparison tree",
        [typeof(BitTriples)] = "input-free triple generation, run inside every comparison, AND and the triple pre-processing",
        [typeof(MillionaireCore)] = "the comparison engine behind millionaires', DReLU/MSB, truncation and division, covered through each",
        [typeof(OtDirections)] = "chooses the threads of the two OT directions and sends nothing of its own",
        [typeof(ParameterHandshake)] = "public parameters only; it opens every non-linear call, whose transcript the harness records",
        [typeof(TransformDomainProducts)] = "the OT products Winograd and polyphase share, covered through both",
    };

    [Fact]
    public void Every_protocol_class_is_registered_in_the_privacy_harness_or_excluded_with_a_reason()
    {
        var found = ProtocolClasses();
        var registered = PrivacyRegistry.All.Select(p => p.Protocol).ToHashSet();
        foreach (var type in found.OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var cases = PrivacyRegistry.All.Where(p => p.Protocol == type).Select(p => p.Name).ToList();
            output.WriteLine(cases.Count > 0
                ? $"{type.Name}: {string.Join("; ", cases)}"
                : $"{type.Name}: not a protocol of its own: {NotProtocols.GetValueOrDefault(type, "NOT REGISTERED")}");
        }

        var missing = found.Where(t => !registered.Contains(t) && !NotProtocols.ContainsKey(t)).Select(t => t.FullName).ToList();
        Assert.True(missing.Count == 0,
            $"protocol classes without a privacy check: {string.Join(", ", missing)}; add them to NonLinearPrivacyCases or " +
            "LinearPrivacyCases, or to the exclusions of this test with the reason");
        var stale = registered.Concat(NotProtocols.Keys).Where(t => !found.Contains(t)).Select(t => t.FullName).ToList();
        Assert.True(stale.Count == 0,
            $"registered or excluded but not protocol classes by the rule: {string.Join(", ", stale)}");
    }

    [Fact]
    public void The_rule_finds_the_protocols_the_harness_was_written_for()
    {
        var found = ProtocolClasses();
        Assert.Contains(typeof(Multiplexer), found);
        Assert.Contains(typeof(WinogradConvolutionProtocol), found);
        Assert.Contains(typeof(OtMatMul), found);
        Assert.DoesNotContain(typeof(LinearLayerProtocol), found);
        Assert.DoesNotContain(typeof(NonLinearReference), found);
    }

    /// <summary>
    /// The rule: a top-level class of the non-linear or linear namespace that can run (static, or concrete: an
    /// abstract base runs only as its subclasses) and has a public or internal method, its own or inherited, taking a
    /// party's session — a <see cref="PartyContext"/>, or the <see cref="LinearPorts"/> the linear layers run on.
    /// </summary>
    private static HashSet<Type> ProtocolClasses() =>
        typeof(PartyContext).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsNested && ProtocolNamespaces.Contains(t.Namespace) && (!t.IsAbstract || t.IsSealed))
            .Where(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
                .Where(m => m.IsPublic || m.IsAssembly || m.IsFamilyOrAssembly)
                .Any(m => m.GetParameters().Any(p => p.ParameterType == typeof(PartyContext) || p.ParameterType == typeof(LinearPorts))))
            .ToHashSet();
}
