// Keeps gRPC initialized for the whole test process. gRPC shuts itself down when its last
// channel or server goes, on its own threads, and starts again with the next test's. Twice a
// test process was caught in that cycle rather than in code of ours: LeakSanitizer reported a
// handshake's TLS objects that a shutdown racing the process's exit had orphaned, and
// AddressSanitizer a completion queue freed twice when one test's shutdown met the next test's
// start. A node process starts gRPC once and keeps it, and so do the tests.
#include <grpc/grpc.h>

namespace {

struct GrpcKeptInitialized {
  GrpcKeptInitialized() { grpc_init(); }
  // No grpc_shutdown: the process's exit ends gRPC's threads, and what they hold stays
  // reachable from gRPC's globals for the leak check.
};

const GrpcKeptInitialized kGrpcKeptInitialized;

}  // namespace
