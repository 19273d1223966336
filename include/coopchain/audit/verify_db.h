// A node's own database, checked end to end without trusting it: every table file's block
// checksums, then a replay of every stored block and certificate from the genesis the database
// holds, comparing each state root, the state and the indexes with the replay. This finds a
// rotten sector or a lost write before the node serves or votes on it. It is not an audit of
// the network: the genesis comes from the database itself (an auditor uses `coopchain audit`
// with a genesis obtained out of band).
#pragma once

#include <string>

#include "coopchain/audit/replay.h"

namespace coopchain::audit {

struct DatabaseCheck {
  bool checksums_ok = false;
  AuditReport replay;   // empty when the checksums or the genesis failed first
  std::string failure;  // the first problem, empty when everything holds

  bool ok() const { return failure.empty(); }
};

DatabaseCheck verify_database(const std::string& data_dir, const AuditOptions& options);

}  // namespace coopchain::audit
