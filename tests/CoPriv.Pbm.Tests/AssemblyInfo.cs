// Each test drives real copriv processes that run a whole secure inference; two at once would share the two cores
// with each other and make every wait longer. One at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
