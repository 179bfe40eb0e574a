// libtorch's thread count and global seed are process-wide: tests that train must not interleave, and on two cores
// they would only take turns anyway.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
