// Before a cooperative signs a change of the validators: would a majority of the validators after
// it still answer? The chain cannot know who is up; the node the CLI talks to does (its links to
// its peers), so the CLI refuses, before signing, a change that would leave the network unable to
// certify a block with the validators that are up now (docs/governance.md, "Nodes").
#pragma once

#include <string>
#include <vector>

#include "client.h"
#include "coopchain/core/domain.h"

namespace coopchain::cli {

// Empty when `changes` leave a majority of the validators after them answering (or change no
// validator); else why not, naming those that would count and those that answer. A node it
// cannot ask is a reason as well.
std::string validators_left_without_majority(NodeClient& client,
                                             const std::vector<GovernanceChange>& changes);

}  // namespace coopchain::cli
