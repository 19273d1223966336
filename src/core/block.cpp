#include "coopchain/core/block.h"

namespace coopchain {
namespace {

void encode_header_into(Writer& w, const BlockHeader& h) {
  w.u32(h.version)
      .u64(h.height)
      .hash(h.prev_hash)
      .hash(h.tx_root)
      .hash(h.state_root)
      .i64(h.time_ms)
      .u64(h.term)
      .bytes(h.proposer);
}

BlockHeader decode_header(Reader& r) {
  BlockHeader h;
  h.version = r.u32();
  h.height = r.u64();
  h.prev_hash = r.hash();
  h.tx_root = r.hash();
  h.state_root = r.hash();
  h.time_ms = r.i64();
  h.term = r.u64();
  h.proposer = r.bytes();
  return h;
}

}  // namespace

void encode_vote(Writer& w, const Vote& v) {
  w.bytes(v.validator_id).u64(v.term).u64(v.height).hash(v.block_hash).bytes(v.signature);
}

Vote decode_vote(Reader& r) {
  Vote v;
  v.validator_id = r.bytes();
  v.term = r.u64();
  v.height = r.u64();
  v.block_hash = r.hash();
  v.signature = r.bytes();
  return v;
}

std::string encode_header(const BlockHeader& h) {
  Writer w;
  encode_header_into(w, h);
  return std::move(w).data();
}

Hash256 block_hash(const BlockHeader& h) {
  return sha256(encode_header(h));
}

Hash256 compute_tx_root(const std::vector<SignedTransaction>& txs) {
  std::vector<Hash256> ids;
  ids.reserve(txs.size());
  for (const auto& tx : txs) ids.push_back(tx.id());
  return merkle_root(ids);
}

BlockHeader genesis_header(const Genesis& genesis, const Hash256& genesis_state_root) {
  BlockHeader h;
  h.height = 0;
  h.prev_hash = genesis_hash(genesis);
  h.tx_root = compute_tx_root({});
  h.state_root = genesis_state_root;
  h.time_ms = genesis.genesis_time;
  return h;
}

std::string encode_block(const Block& b) {
  Writer w;
  encode_header_into(w, b.header);
  w.count(b.txs.size());
  for (const auto& tx : b.txs) encode(w, tx);
  return std::move(w).data();
}

Result<Block> decode_block(std::string_view bytes) {
  Reader r(bytes);
  Block b;
  b.header = decode_header(r);
  const size_t n = r.count(8);
  b.txs.reserve(n);
  for (size_t i = 0; i < n && !r.failed(); ++i) b.txs.push_back(decode_signed_transaction(r));
  if (!r.at_end_ok()) return Status::Corruption("block record does not decode");
  return b;
}

std::string vote_sign_bytes(std::string_view chain_id, uint64_t term, uint64_t height,
                            const Hash256& block_hash) {
  Writer w;
  w.bytes("coopchain/vote/v1").bytes(chain_id).u64(term).u64(height).hash(block_hash);
  return std::move(w).data();
}

std::string encode_qc(const QuorumCertificate& qc) {
  Writer w;
  w.u64(qc.height).hash(qc.block_hash).count(qc.votes.size());
  for (const auto& v : qc.votes) encode_vote(w, v);
  return std::move(w).data();
}

Result<QuorumCertificate> decode_qc(std::string_view bytes) {
  Reader r(bytes);
  QuorumCertificate qc;
  qc.height = r.u64();
  qc.block_hash = r.hash();
  const size_t n = r.count(8);
  for (size_t i = 0; i < n && !r.failed(); ++i) qc.votes.push_back(decode_vote(r));
  if (!r.at_end_ok()) return Status::Corruption("quorum certificate record does not decode");
  return qc;
}

}  // namespace coopchain
