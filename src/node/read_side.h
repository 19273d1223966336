// ReadSide: the node's ChainReader. Readers on gRPC threads get the committed chain view and the
// status the strand last published, and the pending and rejected transactions it keeps in the
// TxStatusTable; nothing here waits for the strand. The strand publishes a new view after each
// commit is synced (so a reader never sees a block that a crash could take back) and its status
// when it changes. Private to the node module.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "coopchain/node/chain_reader.h"
#include "coopchain/node/tx_status_table.h"

namespace coopchain {

class ReadSide final : public ChainReader {
 public:
  // `first` is the chain as the node opened it; the genesis and the table outlive this.
  ReadSide(const Genesis& genesis, std::string node_id, const TxStatusTable& statuses,
           std::shared_ptr<const ChainView> first);

  std::shared_ptr<const ChainView> committed() const override;
  TxOutcome transaction_outcome(const Hash256& id) const override;
  NodeStatusView status() const override;
  const Genesis& genesis() const override { return genesis_; }
  const Hash256& genesis_hash() const override { return genesis_hash_; }
  const std::string& node_id() const override { return node_id_; }
  bool stopping() const override { return stopping_.load(); }

  // From the strand.
  void publish(std::shared_ptr<const ChainView> view);
  void publish(NodeStatusView status);
  void set_stopping() { stopping_ = true; }

 private:
  const Genesis& genesis_;
  const Hash256 genesis_hash_;
  const std::string node_id_;
  const TxStatusTable& statuses_;
  std::atomic<bool> stopping_{false};

  mutable std::mutex mu_;
  std::shared_ptr<const ChainView> view_;  // guarded by mu_
  NodeStatusView status_;                  // guarded by mu_
};

}  // namespace coopchain
