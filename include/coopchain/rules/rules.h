// The rules: the state machine of the domain. `Rules::apply` decides whether one transaction
// may be appended and, if so, writes its effects. Pure: no I/O, no clocks, no threads; it sees
// only the state it is given and the block time agreed by consensus, so every node, the
// simulator and the auditor reach the same verdict on the same input.
#pragma once

#include "coopchain/core/genesis.h"
#include "coopchain/core/rule_code.h"
#include "coopchain/core/transaction.h"
#include "coopchain/state/records.h"
#include "coopchain/state/state_view.h"

namespace coopchain {

struct BlockContext {
  uint64_t height = 0;
  TimeMs block_time = 0;  // the block header's time; the rules' only notion of "now"
};

class Rules {
 public:
  explicit Rules(const Genesis& genesis);

  // Checks `tx` against `state` and, when it is accepted, writes its effects into `state` and
  // records its id there. A rejected transaction writes nothing.
  // REQUIRES: the transaction's signature was verified (verify_transaction_signature).
  Verdict apply(StateOverlay& state, const Transaction& tx, const BlockContext& ctx) const;

  // The checks that need no state (field presence, ranges, ids): MALFORMED and BAD_GEOMETRY.
  // `apply` runs them too; the node also runs them on admission to refuse early.
  Verdict check_shape(const Transaction& tx) const;

  const Genesis& genesis() const { return genesis_; }

 private:
  Genesis genesis_;
};

// The state that genesis establishes (organizations and their keys), applied at height 0.
StateChanges genesis_state(const Genesis& genesis);
// The nodes of that state: the genesis's validators.
NodeSetRecord genesis_nodes(const Genesis& genesis);

}  // namespace coopchain
