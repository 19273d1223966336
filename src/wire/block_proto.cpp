#include "coopchain/wire/block_proto.h"

#include "coopchain/wire/event_codec.h"
#include "coopchain/wire/time_codec.h"

namespace coopchain::wire {

v1::BlockInfo block_to_proto(const Block& block, const QuorumCertificate* qc,
                             bool with_transactions) {
  v1::BlockInfo out;
  const BlockHeader& h = block.header;
  out.set_version(h.version);
  out.set_height(h.height);
  out.set_hash(to_hex(block.hash()));
  out.set_prev_hash(to_hex(h.prev_hash));
  out.set_tx_root(to_hex(h.tx_root));
  out.set_state_root(to_hex(h.state_root));
  *out.mutable_time() = to_timestamp(h.time_ms);
  out.set_term(h.term);
  out.set_proposer(h.proposer);
  for (const auto& tx : block.txs) {
    out.add_tx_ids(to_hex(tx.id()));
    if (with_transactions) *out.add_transactions() = to_proto(tx);
  }
  if (qc != nullptr) {
    for (const auto& v : qc->votes) {
      auto* vote = out.add_quorum();
      vote->set_validator_id(v.validator_id);
      vote->set_term(v.term);
      vote->set_height(v.height);
      vote->set_block_hash(to_hex(v.block_hash));
      vote->set_signature(v.signature);
    }
  }
  return out;
}

Result<std::pair<Block, QuorumCertificate>> block_from_proto(const v1::BlockInfo& info) {
  const std::string at = " of block " + std::to_string(info.height());
  auto hash = [&](const std::string& hex, const char* what) -> Result<Hash256> {
    auto h = hash_from_hex(hex);
    if (!h) return Status::Corruption(std::string(what) + at + " is not 64 hex digits");
    return *h;
  };
  Block block;
  BlockHeader& h = block.header;
  h.version = info.version();
  h.height = info.height();
  auto prev = hash(info.prev_hash(), "the previous hash");
  auto tx_root = hash(info.tx_root(), "the transaction root");
  auto state_root = hash(info.state_root(), "the state root");
  auto block_hash = hash(info.hash(), "the hash");
  for (const auto* r : {&prev, &tx_root, &state_root, &block_hash}) {
    if (!r->ok()) return r->status();
  }
  h.prev_hash = *prev;
  h.tx_root = *tx_root;
  h.state_root = *state_root;
  h.time_ms = to_ms(info.time());
  h.term = info.term();
  h.proposer = info.proposer();
  if (info.transactions_size() != info.tx_ids_size()) {
    return Status::Corruption("the message" + at + " lacks its transactions");
  }
  block.txs.reserve(static_cast<size_t>(info.transactions_size()));
  for (const auto& tx : info.transactions()) block.txs.push_back(from_proto(tx));
  QuorumCertificate qc;
  qc.height = info.height();
  qc.block_hash = *block_hash;
  for (const auto& v : info.quorum()) {
    auto voted = hash(v.block_hash(), "a vote's block hash");
    if (!voted.ok()) return voted.status();
    qc.votes.push_back(Vote{v.validator_id(), v.term(), v.height(), *voted, v.signature()});
  }
  return std::pair{std::move(block), std::move(qc)};
}

}  // namespace coopchain::wire
