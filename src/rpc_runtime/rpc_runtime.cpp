#include "coopchain/rpc_runtime/rpc_runtime.h"

#include <absl/synchronization/mutex.h>

namespace coopchain::rpc_runtime {

void configure() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

}  // namespace coopchain::rpc_runtime
