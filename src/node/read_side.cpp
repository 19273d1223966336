#include "read_side.h"

namespace coopchain {

ReadSide::ReadSide(const Genesis& genesis, std::string node_id, const TxStatusTable& statuses,
                   std::shared_ptr<const ChainView> first)
    : genesis_(genesis),
      genesis_hash_(coopchain::genesis_hash(genesis)),
      node_id_(std::move(node_id)),
      statuses_(statuses),
      view_(std::move(first)) {}

std::shared_ptr<const ChainView> ReadSide::committed() const {
  std::lock_guard lock(mu_);
  return view_;
}

TxOutcome ReadSide::transaction_outcome(const Hash256& id) const {
  // The table before the view: a transaction leaves the pending table only after the view
  // that holds its block is published, so whichever the table says, the view read after it
  // shows the commit if the table no longer shows it pending.
  const TxOutcome noted = statuses_.lookup(id);
  if (auto loc = committed()->locate_transaction(id)) {
    return {id, TxState::kCommitted, loc->height, loc->index, {}};
  }
  return noted;
}

NodeStatusView ReadSide::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

void ReadSide::publish(std::shared_ptr<const ChainView> view) {
  std::lock_guard lock(mu_);
  view_ = std::move(view);
}

void ReadSide::publish(NodeStatusView status) {
  std::lock_guard lock(mu_);
  status_ = std::move(status);
}

}  // namespace coopchain
