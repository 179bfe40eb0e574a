// Every test starts several copriv processes that each use both cores of a small machine; run side by side they would
// slow each other past the 5 s detection deadlines the tests pin down.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
