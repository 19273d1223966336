// The auditor's replay: starting from a trusted genesis, re-verify a whole chain from a
// ChainSource — every hash link, every quorum certificate against the validators in force, every
// transaction signature, every rule (by re-executing each transaction with the rules the nodes
// run) and every state root — and stop at the first thing that does not hold.
//
// Signatures (of transactions and votes) need nothing but the block they are in, so they are
// checked in parallel on all cores, one batch of blocks ahead of the sequential re-execution. The
// chain is streamed: at most two batches of blocks are in memory; the replayed state is kept in
// memory (it is what the rules read), with the height that last wrote each key.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "coopchain/audit/chain_source.h"
#include "coopchain/core/genesis.h"
#include "coopchain/state/records.h"
#include "coopchain/storage/block_store.h"

namespace coopchain::audit {

// The first thing that does not hold.
struct Finding {
  uint64_t height = 0;
  std::string what;      // what is wrong there
  std::string expected;  // what a valid chain has there; empty when it is plain from `what`
};

// One lot of the replayed state with its mass balance: every gram that came in (its creation)
// either went out (processing inputs, exports) or is still held.
struct LotBalance {
  std::string lot_id;
  std::string crop;
  std::string form;
  std::string owner;
  uint64_t in_g = 0;
  uint64_t out_g = 0;
  uint64_t held_g = 0;
  std::vector<std::string> claims;  // scheme names
};

struct AuditReport {
  std::string source;
  std::string chain_id;
  Hash256 genesis_hash{};
  uint64_t blocks = 0;  // checked, block 0 included
  uint64_t transactions = 0;
  uint64_t votes = 0;
  uint64_t signatures = 0;  // transaction and vote signatures verified
  ChainHead head;           // the last block that held
  std::map<std::string, uint64_t> events_by_type;
  std::vector<LotBalance> lots;  // every lot, by id (when AuditOptions::summarize)
  // Certificate id → the lots whose claims or checks rested on it (when summarize).
  std::map<std::string, std::set<std::string>> certificate_lots;
  // Every governance proposal, in the order proposed, as the replay left it (when summarize):
  // what changed the network's organizations, keys and accreditations, and when.
  std::vector<ProposalRecord> proposals;
  // The validators in force, each set from the first block it certified (block 1: the genesis's).
  struct ValidatorSet {
    uint64_t from_height = 0;
    std::vector<std::string> validators;  // node ids
  };
  std::vector<ValidatorSet> validator_sets;
  bool store_checked = false;  // the database's state and indexes were compared
  uint64_t state_entries = 0;
  double seconds = 0;
  unsigned threads = 0;
  std::optional<Finding> failure;

  bool ok() const { return !failure.has_value(); }
};

struct AuditOptions {
  unsigned threads = 0;              // signature-checking threads; 0 = every core
  size_t batch_transactions = 2048;  // a batch ends after this many transactions (or 256 blocks)
  bool summarize = false;            // fill lots and certificate_lots
};

// Replays `source` against `trusted` (the genesis the auditor obtained out of band). With
// `store`, also checks that the database's state equals the replayed state and that every index
// entry points where it should.
AuditReport audit_chain(const Genesis& trusted, ChainSource& source, const BlockStore* store,
                        const AuditOptions& options);

}  // namespace coopchain::audit
