using Akka.Actor;
using Akka.Configuration;
using CoPriv.Actors.Hosting;

namespace CoPriv.Actors.Tests;

/// <summary>
/// The downing rule of a CoPriv cluster: only a server downs, only what it has itself seen unreachable for the whole
/// delay, never itself; a client's observations never down a server.
/// </summary>
public sealed class ServerDowningTests
{
    private static readonly ServerDowningSettings Settings = new(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(500));
    private static readonly Address Self = Address.Parse("akka.tcp://copriv@10.0.0.1:2552");
    private static readonly Address Client = Address.Parse("akka.tcp://copriv@10.0.0.2:2552");
    private static readonly Address OtherServer = Address.Parse("akka.tcp://copriv@10.0.0.3:2552");
    private static readonly DateTime T0 = new(2026, 12, 6, 0, 0, 0, DateTimeKind.Utc);

    private static readonly (Address, bool)[] Members = [(Self, true), (Client, false), (OtherServer, true)];

    [Fact]
    public void A_server_downs_a_client_it_has_seen_unreachable_for_the_whole_delay_and_only_once()
    {
        var policy = new ServerDowningPolicy(Settings);
        Func<Address, bool> clientGone = a => a.Equals(Client);

        Assert.Empty(policy.Check(T0, Self, true, Members, clientGone));
        Assert.Empty(policy.Check(T0.AddSeconds(2.9), Self, true, Members, clientGone));
        Assert.Equal([Client], policy.Check(T0.AddSeconds(3), Self, true, Members, clientGone));
    }

    [Fact]
    public void Reachable_again_before_the_delay_restarts_the_clock()
    {
        var policy = new ServerDowningPolicy(Settings);
        Assert.Empty(policy.Check(T0, Self, true, Members, a => a.Equals(Client)));
        Assert.Empty(policy.Check(T0.AddSeconds(2), Self, true, Members, _ => false));
        Assert.Empty(policy.Check(T0.AddSeconds(4), Self, true, Members, a => a.Equals(Client)));
        Assert.Empty(policy.Check(T0.AddSeconds(6.9), Self, true, Members, a => a.Equals(Client)));
        Assert.Equal([Client], policy.Check(T0.AddSeconds(7), Self, true, Members, a => a.Equals(Client)));
    }

    [Fact]
    public void Another_server_is_downed_only_after_the_longer_server_delay()
    {
        var policy = new ServerDowningPolicy(Settings);
        Func<Address, bool> serverGone = a => a.Equals(OtherServer);
        Assert.Empty(policy.Check(T0, Self, true, Members, serverGone));
        Assert.Empty(policy.Check(T0.AddSeconds(19), Self, true, Members, serverGone));
        Assert.Equal([OtherServer], policy.Check(T0.AddSeconds(20), Self, true, Members, serverGone));
    }

    [Fact]
    public void A_client_downs_nobody_whatever_it_sees()
    {
        var policy = new ServerDowningPolicy(Settings);
        var clientView = new (Address, bool)[] { (Client, false), (Self, true), (OtherServer, true) };
        Assert.Empty(policy.Check(T0, Client, false, clientView, _ => true));
        Assert.Empty(policy.Check(T0.AddMinutes(10), Client, false, clientView, _ => true));
    }

    [Fact]
    public void Nobody_downs_itself()
    {
        var policy = new ServerDowningPolicy(Settings);
        Assert.Empty(policy.Check(T0, Self, true, Members, a => a.Equals(Self)));
        Assert.Empty(policy.Check(T0.AddMinutes(10), Self, true, Members, a => a.Equals(Self)));
    }

    [Fact]
    public void A_member_that_left_and_came_back_starts_a_fresh_clock()
    {
        var policy = new ServerDowningPolicy(Settings);
        Assert.Empty(policy.Check(T0, Self, true, Members, a => a.Equals(Client)));
        Assert.Empty(policy.Check(T0.AddSeconds(2), Self, true, [(Self, true)], _ => true));
        Assert.Empty(policy.Check(T0.AddSeconds(4), Self, true, Members, a => a.Equals(Client)));
        Assert.Equal([Client], policy.Check(T0.AddSeconds(7), Self, true, Members, a => a.Equals(Client)));
    }

    [Fact]
    public void Settings_come_from_copriv_cluster_downing_and_must_be_positive()
    {
        var read = ServerDowningSettings.FromConfig(ConfigurationFactory.ParseString(
            "copriv.cluster.downing { clients-after = 4s, servers-after = 30s, tick = 250ms }"));
        Assert.Equal(new ServerDowningSettings(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250)), read);
        var error = Assert.Throws<ConfigurationException>(() => ServerDowningSettings.FromConfig(ConfigurationFactory.ParseString(
            "copriv.cluster.downing.clients-after = 0s")));
        Assert.Contains("must be positive", error.Message);
    }
}
