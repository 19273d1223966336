// A running node as an audit ChainSource: the chain up to the head the node reports when the
// audit starts, streamed with Ledger.StreamBlocks and rebuilt from the messages. Nothing the node
// says is trusted: the replay recomputes every hash from the rebuilt blocks.
#pragma once

#include <memory>
#include <string>

#include "client.h"
#include "coopchain/audit/chain_source.h"

namespace coopchain::cli {

class NodeChainSource final : public audit::ChainSource {
 public:
  // Asks the node for its head and genesis and opens the stream.
  static Result<std::unique_ptr<NodeChainSource>> open(const std::string& address);
  ~NodeChainSource() override;

  std::string describe() const override { return "node " + client_.address(); }
  std::optional<std::string> genesis_json() const override { return genesis_json_; }
  Result<std::optional<audit::ChainRecord>> next(uint64_t height) override;
  // The node's chain may have grown since; the audit covers what it had when it started.
  Status finish(const ChainHead&) override { return Status::Ok(); }

 private:
  explicit NodeChainSource(const std::string& address) : client_(address) {}
  Status rpc_failure(const grpc::Status& status) const;

  NodeClient client_;
  uint64_t head_height_ = 0;
  std::string genesis_json_;
  std::unique_ptr<grpc::ClientContext> stream_context_;
  std::unique_ptr<grpc::ClientReader<v1::BlockInfo>> stream_;
  bool finished_ = false;
};

}  // namespace coopchain::cli
