#include "coopchain/node/replica_storage.h"

#include "coopchain/core/codec.h"
#include "coopchain/core/fatal.h"

namespace coopchain {
namespace {

constexpr std::string_view kHardStateKey = "hard_state";
// Followed by the block's height, 8 bytes big-endian, so that key order is height order.
constexpr std::string_view kUncommittedPrefix = "uncommitted/";

}  // namespace

consensus::HardState BlockStoreReplicaStorage::hard_state() const {
  auto bytes = store_.get_meta(kHardStateKey);
  if (!bytes) return {};
  Reader r(*bytes);
  consensus::HardState state;
  state.term = r.u64();
  state.voted_for = r.bytes();
  if (!r.at_end()) state.term_entered_at = r.i64();  // absent in records of earlier versions
  // A record that does not decode was not written by this code; starting from term 0 would
  // allow a second vote in a term, so refuse to guess.
  if (!r.at_end_ok()) {
    fatal("the stored consensus term and vote do not decode");
  }
  return state;
}

Status BlockStoreReplicaStorage::save_hard_state(const consensus::HardState& state) {
  Writer w;
  w.u64(state.term).bytes(state.voted_for).i64(state.term_entered_at);
  return store_.put_meta(kHardStateKey, w.data(), Durability::kBuffered);
}

std::string BlockStoreReplicaStorage::uncommitted_key(uint64_t height) {
  Writer w;
  w.u64(height);
  return std::string(kUncommittedPrefix) + w.data();
}

std::vector<Block> BlockStoreReplicaStorage::uncommitted_blocks() const {
  std::vector<Block> blocks;
  bool broken = false;
  // One that does not decode ends the list: the replica re-validates what it loads and fetches
  // what is missing from the leader again.
  Status st = store_.scan_meta(kUncommittedPrefix, [&](std::string_view, std::string_view value) {
    if (broken) return;
    auto block = decode_block(value);
    broken = !block.ok();
    if (!broken) blocks.push_back(std::move(block).value());
  });
  if (!st.ok()) blocks.clear();
  return blocks;
}

Status BlockStoreReplicaStorage::save_uncommitted_block(const Block& block) {
  return store_.put_meta(uncommitted_key(block.header.height), encode_block(block),
                         Durability::kBuffered);
}

Status BlockStoreReplicaStorage::drop_uncommitted_from(uint64_t height) {
  const std::string from = uncommitted_key(height);
  std::vector<std::string> keys;
  Status st = store_.scan_meta(kUncommittedPrefix, [&](std::string_view key, std::string_view) {
    if (key >= from) keys.emplace_back(key);
  });
  for (const auto& key : keys) {
    if (!st.ok()) break;
    st = store_.delete_meta(key, Durability::kBuffered);
  }
  return st;
}

}  // namespace coopchain
