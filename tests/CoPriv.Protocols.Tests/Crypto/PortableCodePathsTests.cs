using CoPriv.Protocols.Crypto;

namespace CoPriv.Protocols.Tests.Crypto;

public class PortableCodePathsTests
{
    private static bool ForcedOnANewThread()
    {
        bool forced = false;
        var thread = new Thread(() => forced = PortableCodePaths.Forced);
        thread.Start();
        thread.Join();
        return forced;
    }

    [Fact]
    public void The_portable_choice_reaches_the_threads_the_call_starts_and_ends_with_the_scope()
    {
        using (PortableCodePaths.Force())
        {
            Assert.True(ForcedOnANewThread());
            Assert.False(Aes128.HardwareAccelerated);
        }
        Assert.False(PortableCodePaths.Forced);
        Assert.False(ForcedOnANewThread());
    }

    [Fact]
    public void A_call_running_alongside_a_portable_scope_keeps_the_fast_paths()
    {
        using var inScope = new ManualResetEventSlim();
        using var checkedOutside = new ManualResetEventSlim();
        bool forcedOutside = true;
        var outside = new Thread(() =>
        {
            inScope.Wait();
            forcedOutside = PortableCodePaths.Forced;
            checkedOutside.Set();
        });
        outside.Start();
        using (PortableCodePaths.Force())
        {
            inScope.Set();
            Assert.True(checkedOutside.Wait(TimeSpan.FromSeconds(30)));
        }
        outside.Join();
        Assert.False(forcedOutside);
    }
}
