// Blocks, votes and quorum certificates, with the canonical encodings that are hashed, signed
// and stored. A block hash is the SHA-256 of the canonical header; the header commits to the
// transactions through their Merkle root and to the state after the block through its root.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "coopchain/core/codec.h"
#include "coopchain/core/domain.h"
#include "coopchain/core/genesis.h"
#include "coopchain/core/hash.h"
#include "coopchain/core/status.h"
#include "coopchain/core/transaction.h"

namespace coopchain {

inline constexpr uint32_t kBlockVersion = 1;

struct BlockHeader {
  uint32_t version = kBlockVersion;
  uint64_t height = 0;
  Hash256 prev_hash{};
  Hash256 tx_root{};
  Hash256 state_root{};
  TimeMs time_ms = 0;
  uint64_t term = 0;
  std::string proposer;  // validator id

  bool operator==(const BlockHeader&) const = default;
};

std::string encode_header(const BlockHeader& h);
Hash256 block_hash(const BlockHeader& h);

struct Block {
  BlockHeader header;
  std::vector<SignedTransaction> txs;

  Hash256 hash() const { return block_hash(header); }
};

Hash256 compute_tx_root(const std::vector<SignedTransaction>& txs);

// The head of a chain: the last block's height, hash, state root and time.
struct ChainHead {
  uint64_t height = 0;
  Hash256 hash{};
  Hash256 state_root{};
  TimeMs time_ms = 0;
  bool operator==(const ChainHead&) const = default;
};
std::string encode_block(const Block& b);

// Block 0: no transactions, prev_hash = the genesis hash, the root over the genesis state, the
// genesis time. Every node stores it and every auditor derives it from the trusted genesis.
BlockHeader genesis_header(const Genesis& genesis, const Hash256& genesis_state_root);
Result<Block> decode_block(std::string_view bytes);

// A validator's signed statement that it checked and accepts the block with this hash at this
// height in this term.
struct Vote {
  std::string validator_id;
  uint64_t term = 0;
  uint64_t height = 0;
  Hash256 block_hash{};
  std::string signature;

  bool operator==(const Vote&) const = default;
};

// The bytes a validator signs for a vote; they name the chain so that a vote cannot be replayed
// on another network.
std::string vote_sign_bytes(std::string_view chain_id, uint64_t term, uint64_t height,
                            const Hash256& block_hash);

void encode_vote(Writer& w, const Vote& v);
Vote decode_vote(Reader& r);

struct QuorumCertificate {
  uint64_t height = 0;
  Hash256 block_hash{};
  std::vector<Vote> votes;
};

std::string encode_qc(const QuorumCertificate& qc);
Result<QuorumCertificate> decode_qc(std::string_view bytes);

}  // namespace coopchain
