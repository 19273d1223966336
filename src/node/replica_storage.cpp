#include "coopchain/node/replica_storage.h"

#include <cstdio>
#include <cstdlib>

#include "coopchain/core/codec.h"

namespace coopchain {
namespace {

constexpr std::string_view kHardStateKey = "hard_state";
constexpr std::string_view kUncommittedKey = "uncommitted_blocks";

}  // namespace

consensus::HardState BlockStoreReplicaStorage::hard_state() const {
  auto bytes = store_.get_meta(kHardStateKey);
  if (!bytes) return {};
  Reader r(*bytes);
  consensus::HardState state;
  state.term = r.u64();
  state.voted_for = r.bytes();
  // A record that does not decode was not written by this code; starting from term 0 would
  // allow a second vote in a term, so refuse to guess.
  if (!r.at_end_ok()) {
    std::fprintf(stderr, "coopchain: the stored consensus term and vote do not decode\n");
    std::abort();
  }
  return state;
}

Status BlockStoreReplicaStorage::save_hard_state(const consensus::HardState& state) {
  Writer w;
  w.u64(state.term).bytes(state.voted_for);
  return store_.put_meta(kHardStateKey, w.data());
}

std::vector<Block> BlockStoreReplicaStorage::uncommitted_blocks() const {
  std::vector<Block> blocks;
  auto bytes = store_.get_meta(kUncommittedKey);
  if (!bytes) return blocks;
  Reader r(*bytes);
  const size_t n = r.count(4);
  for (size_t i = 0; i < n && !r.failed(); ++i) {
    auto block = decode_block(r.bytes());
    if (!block.ok()) break;  // the replica re-validates; what is missing is fetched again
    blocks.push_back(std::move(block).value());
  }
  return blocks;
}

Status BlockStoreReplicaStorage::save_uncommitted_blocks(const std::vector<Block>& blocks) {
  Writer w;
  w.count(blocks.size());
  for (const auto& b : blocks) w.bytes(encode_block(b));
  return store_.put_meta(kUncommittedKey, w.data());
}

}  // namespace coopchain
