// The line a person reads for a governance change, shared by `gov show` and the audit report.
#pragma once

#include <string>

#include "coopchain/core/domain.h"

namespace coopchain::cli {

// "add EXPORTER exp-2 (Andes Export SAC), 1 key(s)", "suspend exp-1", "revoke every key of
// coop-3", ...
std::string describe_change(const GovernanceChange& change);

}  // namespace coopchain::cli
