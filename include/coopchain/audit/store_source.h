// A stopped node's database as a ChainSource: blocks and certificates read by height from the
// data dir opened read-only. The replay additionally checks the database's derived tables (state,
// block-hash and transaction indexes) when it is given the store (see replay.h).
#pragma once

#include <memory>
#include <string>

#include "coopchain/audit/chain_source.h"
#include "coopchain/storage/block_store.h"

namespace coopchain::audit {

class StoreChainSource final : public ChainSource {
 public:
  // Opens `data_dir` read-only; it must hold an initialized chain.
  static Result<std::unique_ptr<StoreChainSource>> open(const std::string& data_dir);

  std::string describe() const override { return "data dir " + data_dir_; }
  std::optional<std::string> genesis_json() const override;
  Result<std::optional<ChainRecord>> next(uint64_t height) override;
  // The head record names the replayed head, and nothing is stored above it.
  Status finish(const ChainHead& replayed_head) override;

  const BlockStore& store() const { return *store_; }

 private:
  StoreChainSource(std::string data_dir, std::unique_ptr<BlockStore> store)
      : data_dir_(std::move(data_dir)), store_(std::move(store)) {}

  std::string data_dir_;
  std::unique_ptr<BlockStore> store_;
};

}  // namespace coopchain::audit
