#include "coopchain/audit/store_source.h"

#include <filesystem>

namespace coopchain::audit {

Result<std::unique_ptr<StoreChainSource>> StoreChainSource::open(const std::string& data_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(data_dir, ec)) {
    return Status::NotFound("no data dir at " + data_dir);
  }
  StoreOptions options;
  options.path = data_dir;
  options.create_if_missing = false;
  options.read_only = true;
  options.corruption_is_fatal = false;  // damage is what an audit reports
  auto store = BlockStore::open(options);
  if (!store.ok()) return store.status();
  if ((*store)->empty()) {
    return Status::NotFound("the data dir " + data_dir + " holds no chain (no head record)");
  }
  return std::unique_ptr<StoreChainSource>(
      new StoreChainSource(data_dir, std::move(store).value()));
}

std::optional<std::string> StoreChainSource::genesis_json() const {
  auto json = store_->genesis_json();
  if (!json.ok()) return std::nullopt;
  return std::move(json).value();
}

Result<std::optional<ChainRecord>> StoreChainSource::next(uint64_t height) {
  if (height > store_->head()->height) return std::optional<ChainRecord>();
  auto block = store_->block(height);
  if (!block.ok()) {
    return Status::Corruption("the stored block at height " + std::to_string(height) +
                              " cannot be read: " + block.status().message());
  }
  ChainRecord record{std::move(block).value(), std::nullopt};
  if (height > 0) {
    auto qc = store_->quorum_certificate(height);
    if (!qc.ok()) {
      return Status::Corruption("the stored quorum certificate at height " +
                                std::to_string(height) +
                                " cannot be read: " + qc.status().message());
    }
    record.qc = std::move(qc).value();
  }
  return std::optional<ChainRecord>(std::move(record));
}

Status StoreChainSource::finish(const ChainHead& replayed) {
  if (!(*store_->head() == replayed)) {
    return Status::Corruption("the head record (height " + std::to_string(store_->head()->height) +
                              ", hash " + to_hex(store_->head()->hash) +
                              ") does not name the last block");
  }
  // The node's own start-up check: with the head record naming the replayed head, what is left
  // for it to find is a block stored above the head.
  return store_->check_consistency();
}

}  // namespace coopchain::audit
