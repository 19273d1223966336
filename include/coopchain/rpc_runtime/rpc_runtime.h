// Process-wide settings of the gRPC runtime, applied once at start-up, before the first channel
// or server, by the programs that carry sustained gRPC load: coopchaind and the load generator
// (the CLI's few calls do not need them).
#pragma once

namespace coopchain::rpc_runtime {

// Turns off Abseil's lock-order checking, which gRPC's mutexes inherit. Debian's Abseil is built
// without NDEBUG, so by default every mutex acquisition in gRPC also takes one process-wide
// spin lock and updates a lock graph: measurable CPU and contention on the hot path of every
// call. Deadlock detection is a debugging aid, not a safety net for a running node.
void configure();

}  // namespace coopchain::rpc_runtime
