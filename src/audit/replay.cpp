#include "coopchain/audit/replay.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

#include "coopchain/consensus/block_check.h"
#include "coopchain/rules/rules.h"
#include "coopchain/state/state_view.h"
#include "coopchain/state/world.h"
#include "coopchain/wire/genesis_json.h"
#include "replayed_state.h"
#include "signature_check.h"

namespace coopchain::audit {
namespace {

constexpr size_t kMaxBatchBlocks = 256;

// The replay proper: the sequential checks of each block, in height order, on the replayed
// state. The first failure stops it.
class Replayer {
 public:
  Replayer(const Genesis& trusted, const BlockStore* store, AuditReport& report)
      : genesis_(trusted), rules_(trusted), store_(store), report_(report) {}

  bool failed() const { return report_.failure.has_value(); }

  void note_validators(uint64_t height, const std::vector<Validator>& validators) {
    std::vector<std::string> ids;
    for (const auto& v : validators) ids.push_back(v.id);
    auto& sets = report_.validator_sets;
    // A new vote key or pin changes the set as well, even with the same ids.
    if (sets.empty() || validators != last_validators_) sets.push_back({height, std::move(ids)});
    last_validators_ = validators;
  }

  void fail(uint64_t height, std::string what, std::string expected = {}) {
    if (!failed()) report_.failure = Finding{height, std::move(what), std::move(expected)};
  }

  // Checks the block at `height` and, if it holds, applies it.
  void check(uint64_t height, BatchEntry& entry) {
    const Block& block = entry.record.block;
    if (height == 0) return check_genesis_block(block);

    consensus::BlockVerdict verdict =
        consensus::check_block(rules_, {block, previous_, state_, entry.txs, std::nullopt});
    if (!verdict.ok()) return fail(height, verdict.fault().what, verdict.fault().expected);
    if (!entry.record.qc) return fail(height, "it has no quorum certificate");
    // The certificates were checked ahead, in parallel, against the genesis's validators; a
    // block after a change of validators is checked again against those in force for it.
    const std::vector<Validator> validators = consensus::validators_for(state_, height);
    note_validators(height, validators);
    if (validators != rules_.genesis().validators) {
      entry.quorum = consensus::check_certificate(rules_.genesis().chain_id, validators,
                                                  *entry.record.qc, block.header);
    }
    if (!entry.quorum.ok()) {
      return fail(height, entry.quorum.message(),
                  "votes for this block by a majority of distinct validators, all in one term, "
                  "each signed by the key the chain holds for the validator");
    }
    report_.votes += entry.record.qc->votes.size();
    report_.signatures += entry.record.qc->votes.size();
    if (store_ != nullptr && !check_indexes(height, block)) return;

    state_.apply(height, verdict.effects().changes);
    for (const auto& tx : entry.txs) {
      state_.add_transaction(tx->id);
      ++report_.events_by_type[std::string(event_type_name(tx->event))];
    }
    report_.transactions += entry.txs.size();
    report_.signatures += entry.txs.size();
    accept(block);
  }

  // After the last block: the store's state and indexes, and the lots' balances.
  void finish(bool summarize) {
    if (store_ != nullptr) {
      check_stored_state();
      if (!failed()) check_index_tables();
      report_.store_checked = !failed();
    }
    summarize_lots(summarize);
    if (summarize) summarize_governance();
  }

  const ChainHead& head() const { return report_.head; }

 private:
  void check_genesis_block(const Block& block) {
    const StateChanges changes = genesis_state(genesis_);
    const BlockHeader expected = genesis_header(genesis_, next_state_root(Hash256{}, 0, changes));
    const BlockHeader& h = block.header;
    if (h.prev_hash != expected.prev_hash) {
      return fail(
          0,
          "block 0 names genesis " + to_hex(h.prev_hash) +
              ": this chain was started from another genesis",
          "the trusted genesis of " + genesis_.chain_id + ", " + to_hex(expected.prev_hash));
    }
    if (!block.txs.empty() || h != expected) {
      return fail(0,
                  "block 0 (hash " + to_hex(block_hash(h)) +
                      ") is not the block the trusted genesis defines",
                  "block 0 with hash " + to_hex(block_hash(expected)));
    }
    if (store_ != nullptr && !check_indexes(0, block)) return;
    state_.apply(0, changes);
    accept(block);
  }

  void accept(const Block& block) {
    previous_ = block.header;
    const Hash256 hash = block.hash();
    report_.head =
        ChainHead{block.header.height, hash, block.header.state_root, block.header.time_ms};
    ++report_.blocks;
    if (store_ != nullptr) block_hashes_.push_back(hash);
  }

  // The store's indexes point at this block and at each of its transactions.
  bool check_indexes(uint64_t height, const Block& block) {
    const Hash256 hash = block.hash();
    const auto indexed = store_->height_of(hash);
    if (indexed != height) {
      fail(height,
           "the block-hash index maps " + to_hex(hash) + " to " +
               (indexed ? "height " + std::to_string(*indexed) : std::string("nothing")),
           "height " + std::to_string(height));
      return false;
    }
    for (uint32_t i = 0; i < block.txs.size(); ++i) {
      const Hash256 id = block.txs[i].id();
      const auto loc = store_->locate_transaction(id);
      if (!loc || !(*loc == TxLocation{height, i})) {
        fail(height,
             "the transaction index maps " + to_hex(id) + " to " +
                 (loc ? "height " + std::to_string(loc->height) + " position " +
                            std::to_string(loc->index)
                      : std::string("nothing")),
             "height " + std::to_string(height) + " position " + std::to_string(i));
        return false;
      }
    }
    return true;
  }

  // A merge of the stored state (in key order) with the replayed one. Of all differences, the
  // one written at the lowest height is reported: that is where the two first diverged.
  void check_stored_state() {
    const auto& replayed = state_.entries();
    auto it = replayed.begin();
    std::optional<Finding> first;
    auto note = [&](uint64_t height, std::string what, std::string expected) {
      if (!first || height < first->height) {
        first = Finding{height, std::move(what), std::move(expected)};
      }
    };
    auto missing = [&](const std::string& key, const ReplayedState::Entry& e) {
      note(e.height, "the stored state lacks " + key,
           "the value written at height " + std::to_string(e.height));
    };
    uint64_t stored = 0;
    Status st = store_->scan(StoreTable::kState, [&](std::string_view key, std::string_view value) {
      ++stored;
      while (it != replayed.end() && it->first < key) {
        missing(it->first, it->second);
        ++it;
      }
      if (it == replayed.end() || it->first != key) {
        note(report_.head.height,
             "the stored state holds " + std::string(key) + ", which no transaction wrote",
             "no such key");
        return true;
      }
      if (it->second.value != value) {
        note(it->second.height,
             "the stored value of " + std::string(key) + " (SHA-256 " + to_hex(sha256(value)) +
                 ") differs from the replayed one",
             "the value written at height " + std::to_string(it->second.height) + " (SHA-256 " +
                 to_hex(sha256(it->second.value)) + ")");
      }
      ++it;
      return true;
    });
    for (; it != replayed.end(); ++it) missing(it->first, it->second);
    if (!st.ok()) return fail(report_.head.height, st.message());
    report_.state_entries = stored;
    if (first) fail(first->height, std::move(first->what), std::move(first->expected));
  }

  // Every entry of the two index tables points at a block or transaction the replay saw (the
  // replay already checked that every block and transaction has its entry).
  void check_index_tables() {
    Status st =
        store_->scan(StoreTable::kBlockHash, [&](std::string_view key, std::string_view value) {
          const auto height = decode_height_entry(value);
          Hash256 hash{};
          if (key.size() == hash.size()) std::copy(key.begin(), key.end(), hash.begin());
          if (!height || key.size() != hash.size() || *height >= block_hashes_.size() ||
              block_hashes_[*height] != hash) {
            fail(report_.head.height,
                 "the block-hash index has an entry for " + to_hex(key) +
                     ", which is no block of the chain",
                 "an entry for each block and no other");
            return false;
          }
          return true;
        });
    if (!st.ok()) return fail(report_.head.height, st.message());
    if (failed()) return;
    st = store_->scan(StoreTable::kTxIndex, [&](std::string_view key, std::string_view) {
      Hash256 id{};
      if (key.size() == id.size()) std::copy(key.begin(), key.end(), id.begin());
      if (key.size() != id.size() || !state_.has_transaction(id)) {
        fail(report_.head.height,
             "the transaction index has an entry for " + to_hex(key) + ", which no block holds",
             "an entry for each committed transaction and no other");
        return false;
      }
      return true;
    });
    if (!st.ok()) fail(report_.head.height, st.message());
  }

  void summarize_governance() {
    const WorldView world(state_);
    for (const auto& id : world.governance().proposal_ids) {
      if (std::optional<ProposalRecord> p = world.proposal(id)) {
        report_.proposals.push_back(std::move(*p));
      }
    }
  }

  // Every lot's mass balance; its details and the certificates behind it when summarizing.
  void summarize_lots(bool summarize) {
    const std::string prefix = lot_key("");
    const WorldView world(state_);
    const auto& entries = state_.entries();
    for (auto it = entries.lower_bound(prefix);
         it != entries.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
      const auto lot = world.lot(std::string_view(it->first).substr(prefix.size()));
      if (!lot) continue;
      LotBalance b;
      b.lot_id = lot->lot_id;
      b.crop = name_of(lot->crop);
      b.form = name_of(lot->form);
      b.owner = lot->owner;
      b.held_g = lot->mass_g;
      const std::vector<LotEventRecord> history = world.full_history(*lot);
      for (const auto& event : history) {
        if (event.mass_delta_g > 0) b.in_g += static_cast<uint64_t>(event.mass_delta_g);
        if (event.mass_delta_g < 0) b.out_g += static_cast<uint64_t>(-event.mass_delta_g);
      }
      if (b.in_g < b.out_g || b.in_g - b.out_g != b.held_g) {
        fail(it->second.height,
             "lot " + b.lot_id + " took in " + std::to_string(b.in_g) + " g and gave out " +
                 std::to_string(b.out_g) + " g but holds " + std::to_string(b.held_g) + " g",
             "what came in = what went out + what is held");
      }
      if (!summarize) continue;
      for (const auto& claim : lot->claims) {
        b.claims.emplace_back(name_of(claim.scheme));
        for (const auto& cert : claim.certificate_ids)
          report_.certificate_lots[cert].insert(b.lot_id);
      }
      for (const auto& event : history) {
        for (const auto& cert : event.certificates_checked) {
          report_.certificate_lots[cert].insert(b.lot_id);
        }
      }
      report_.lots.push_back(std::move(b));
    }
  }

  const Genesis& genesis_;
  const Rules rules_;
  const BlockStore* store_;
  AuditReport& report_;
  ReplayedState state_;
  BlockHeader previous_;
  std::vector<Validator> last_validators_;
  std::vector<Hash256> block_hashes_;  // by height, when checking a store
};

// Reads up to one batch of records from the source.
Batch read_batch(ChainSource& source, uint64_t first_height, size_t max_transactions) {
  Batch batch;
  batch.first_height = first_height;
  size_t transactions = 0;
  while (batch.entries.size() < kMaxBatchBlocks && transactions < max_transactions) {
    const uint64_t height = first_height + batch.entries.size();
    auto record = source.next(height);
    if (!record.ok()) {
      batch.read_error = record.status();
      break;
    }
    if (!*record) {
      batch.end = true;
      break;
    }
    transactions += (*record)->block.txs.size();
    batch.entries.push_back(BatchEntry{std::move(**record), {}, Status::Ok()});
  }
  return batch;
}

}  // namespace

AuditReport audit_chain(const Genesis& trusted, ChainSource& source, const BlockStore* store,
                        const AuditOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  AuditReport report;
  report.source = source.describe();
  report.chain_id = trusted.chain_id;
  report.genesis_hash = genesis_hash(trusted);
  report.threads =
      options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  Replayer replayer(trusted, store, report);

  if (auto json = source.genesis_json()) {
    auto claimed = wire::genesis_from_json(*json);
    if (!claimed.ok()) {
      replayer.fail(0, "the genesis the " + report.source +
                           " carries does not parse: " + claimed.status().message());
    } else if (genesis_hash(*claimed) != report.genesis_hash) {
      replayer.fail(0,
                    "the " + report.source + " holds the chain of genesis " +
                        to_hex(genesis_hash(*claimed)) + " (chain id " + claimed->chain_id + ")",
                    "the trusted genesis " + to_hex(report.genesis_hash) + " (chain id " +
                        trusted.chain_id + ")");
    }
  }

  // Batch k+1 is read and its signatures checked while batch k is re-executed.
  Batch current;
  if (!replayer.failed()) {
    current = read_batch(source, 0, options.batch_transactions);
    SignatureCheck(current, trusted, report.threads).join();
  }
  while (!replayer.failed()) {
    const uint64_t after = current.first_height + current.entries.size();
    const bool more = !current.end && !current.read_error;
    Batch next;
    std::unique_ptr<SignatureCheck> next_check;
    if (more) {
      next = read_batch(source, after, options.batch_transactions);
      next_check = std::make_unique<SignatureCheck>(next, trusted, report.threads);
    }
    for (size_t i = 0; i < current.entries.size() && !replayer.failed(); ++i) {
      replayer.check(current.first_height + i, current.entries[i]);
    }
    if (next_check) next_check->join();
    if (replayer.failed()) break;
    if (current.read_error) {
      replayer.fail(after, current.read_error->message());
      break;
    }
    if (current.end) {
      if (report.blocks == 0) {
        replayer.fail(0, "the " + report.source + " holds no blocks", "block 0 at least");
        break;
      }
      Status st = source.finish(replayer.head());
      if (!st.ok()) {
        replayer.fail(replayer.head().height, st.message());
        break;
      }
      replayer.finish(options.summarize);
      break;
    }
    current = std::move(next);
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace coopchain::audit
