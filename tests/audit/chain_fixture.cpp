#include "chain_fixture.h"

#include <rocksdb/db.h>

#include <cstdlib>
#include <map>
#include <stdexcept>

#include "coopchain/core/codec.h"
#include "coopchain/core/quorum.h"
#include "coopchain/rules/execute.h"
#include "coopchain/rules/rules.h"
#include "coopchain/storage/block_store.h"
#include "coopchain/wire/event_codec.h"
#include "coopchain/wire/genesis_json.h"
#include "event_json.h"
#include "test_genesis.h"
#include "test_keys.h"

namespace coopchain::testing {
namespace {

const TimeMs kFirstBlockTime = 1'794'700'800'000;  // 2026-11-15T00:00:00Z

std::string cert(const std::string& id, const std::string& holder) {
  return certificate_json(id, holder, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
}

std::string processing(const std::string& out, const std::string& in, uint64_t in_g,
                       const std::string& step, const std::string& form, uint64_t grams,
                       const std::string& at) {
  return processing_json(out, lot_amount_json(in, in_g), step, form, grams, at, R"("EU_ORGANIC")");
}

using BlockEvents = std::vector<std::pair<std::string, std::string>>;  // (org, event JSON)

std::vector<BlockEvents> journey() {
  return {
      {{"coop-1", R"({"registerFarm": {"farmId": "F-001", "farmerRef": "member 0042",
          "plots": [{"plotId": "P-1", "areaM2": 20000, "crop": "COFFEE",
          "geometry": {"type": "Point", "coordinates": [-76.52, -6.48]}}]}})"},
       {"cert-1", cert("C-COOP", "coop-1")},
       {"cert-1", cert("C-MILL", "mill-1")},
       {"cert-1", cert("C-EXP", "exp-1")},
       {"coop-1", member_json("C-COOP", "F-001", "PROPOSED", "2026-10-01T00:00:00Z")},
       {"cert-1", member_json("C-COOP", "F-001", "APPROVED", "2026-10-01T00:00:00Z")}},
      {{"coop-1", harvest_json("H-1", "F-001", 1'200'000, "2026-10-20T14:00:00Z", R"("C-COOP")")},
       {"coop-1", transfer_json("H-1", "mill-1", 1'200'000, "2026-10-21T08:00:00Z")}},
      {{"mill-1", processing("PA-1", "H-1", 1'200'000, "WET_MILL", "PARCHMENT", 260'000,
                             "2026-10-22T08:00:00Z")}},
      {{"mill-1",
        processing("GR-1", "PA-1", 260'000, "DRY_MILL", "GREEN", 210'000, "2026-10-25T08:00:00Z")},
       {"cert-1", R"({"certifyLot": {"lotId": "GR-1", "certificateId": "C-MILL",
          "inspectedAt": "2026-10-26T08:00:00Z", "findings": "no residues"}})"}},
      {{"mill-1", transfer_json("GR-1", "exp-1", 210'000, "2026-10-28T08:00:00Z")},
       {"exp-1",
        export_json("EXP-1", "GR-1", 200'000, "DE", "2026-11-01T10:00:00Z", R"("EU_ORGANIC")")}},
  };
}

// Executes `events` on the store's head and commits them as the next block, certified by node-1
// and node-2. Honest validators refuse a block with a rejected transaction; colluding ones put
// it in anyway.
Status commit_block(BlockStore& store, const Rules& rules, FixtureChain& chain,
                    const BlockEvents& events, bool collude) {
  const ChainHead head = *store.head();
  const uint64_t height = head.height + 1;
  Block block;
  std::vector<Transaction> txs;
  for (const auto& [org, json] : events) {
    block.txs.push_back(signed_event(org, chain.genesis.chain_id, json, ++chain.nonce));
    auto tx = wire::decode_verified_transaction(block.txs.back());
    if (!tx.ok()) return tx.status();
    txs.push_back(std::move(tx).value());
  }
  std::vector<const Transaction*> ptrs;
  for (const auto& tx : txs) ptrs.push_back(&tx);
  const TimeMs time = kFirstBlockTime + static_cast<TimeMs>(height) * 1000;
  ExecutedTransactions executed = execute_transactions(rules, store, ptrs, {height, time});
  if (!executed.rejected.empty() && !collude) {
    return Status::Internal("fixture block " + std::to_string(height) +
                            " refused: " + executed.rejected.front().second.to_string());
  }
  BlockHeader& h = block.header;
  h.height = height;
  h.prev_hash = head.hash;
  h.tx_root = compute_tx_root(block.txs);
  h.state_root = next_state_root(head.state_root, height, executed.changes);
  h.time_ms = time;
  h.term = 1;
  h.proposer = "node-1";
  const Hash256 hash = block.hash();
  QuorumCertificate qc{height, hash, {}};
  for (const char* id : {"node-1", "node-2"}) {
    qc.votes.push_back(sign_vote(named_key(id), id, chain.genesis.chain_id, 1, height, hash));
  }
  Status st = store.commit_block(block, qc, executed.changes);
  if (!st.ok()) return st;
  chain.transactions += block.txs.size();
  chain.head_height = height;
  return Status::Ok();
}

}  // namespace

const PrivateKey& named_key(const std::string& name) {
  return key_for("audit-fixture/" + name);
}

Genesis fixture_genesis(const std::string& chain_id) {
  return test_genesis(chain_id, 1'767'225'600'000 /* 2026-01-01T00:00:00Z */, "audit-fixture/",
                      devnet_orgs(), 3);
}

SignedTransaction signed_event(const std::string& org, const std::string& chain_id,
                               const std::string& event_json, uint64_t nonce) {
  return sign_event_json(named_key(org), chain_id, event_json, nonce);
}

Result<FixtureChain> build_fixture_chain(const std::string& dir, int harvest_blocks,
                                         const std::string& chain_id) {
  FixtureChain chain;
  chain.dir = dir;
  chain.genesis = fixture_genesis(chain_id);
  chain.genesis_json = wire::genesis_to_json(chain.genesis);
  auto store = BlockStore::open({dir});
  if (!store.ok()) return store.status();
  Status st = (*store)->initialize(chain.genesis, chain.genesis_json, genesis_state(chain.genesis));
  if (!st.ok()) return st;
  const Rules rules(chain.genesis);

  std::vector<BlockEvents> blocks = journey();
  for (int b = 0; b < harvest_blocks; ++b) {
    BlockEvents events;
    for (int i = 0; i < 3; ++i) {
      events.emplace_back("coop-1",
                          harvest_json("HX-" + std::to_string(b) + "-" + std::to_string(i), "F-001",
                                       10'000, "2026-11-02T08:00:00Z"));
    }
    blocks.push_back(std::move(events));
  }

  for (const auto& events : blocks) {
    st = commit_block(**store, rules, chain, events, /*collude=*/false);
    if (!st.ok()) return st;
  }
  chain.head_height = (*store)->head()->height;
  return chain;
}

Status append_colluded_block(FixtureChain& chain, const BlockEvents& events) {
  auto store = BlockStore::open({chain.dir});
  if (!store.ok()) return store.status();
  const Rules rules(chain.genesis);
  return commit_block(**store, rules, chain, events, /*collude=*/true);
}

// ---- RawStore ---------------------------------------------------------------------------------

struct RawStore::Impl {
  rocksdb::DB* db = nullptr;
  std::map<std::string, rocksdb::ColumnFamilyHandle*> cfs;
};

RawStore::RawStore(const std::string& dir) : impl_(new Impl) {
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const char* name : kColumnFamilies) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::Status s =
      rocksdb::DB::Open(rocksdb::DBOptions(), dir, descriptors, &handles, &impl_->db);
  if (!s.ok()) throw std::runtime_error("cannot open " + dir + ": " + s.ToString());
  for (size_t i = 0; i < handles.size(); ++i) impl_->cfs[kColumnFamilies[i]] = handles[i];
}

RawStore::~RawStore() {
  for (auto& [name, h] : impl_->cfs) (void)impl_->db->DestroyColumnFamilyHandle(h);
  (void)impl_->db->Close();
  delete impl_->db;
  delete impl_;
}

std::string RawStore::get(const std::string& cf, const std::string& key) const {
  std::string value;
  rocksdb::Status s = impl_->db->Get(rocksdb::ReadOptions(), impl_->cfs.at(cf), key, &value);
  if (!s.ok()) throw std::runtime_error("raw get in " + cf + ": " + s.ToString());
  return value;
}

void RawStore::put(const std::string& cf, const std::string& key, const std::string& value) {
  rocksdb::WriteOptions wo;
  wo.sync = true;
  rocksdb::Status s = impl_->db->Put(wo, impl_->cfs.at(cf), key, value);
  if (!s.ok()) throw std::runtime_error("raw put in " + cf + ": " + s.ToString());
}

void RawStore::erase(const std::string& cf, const std::string& key) {
  rocksdb::WriteOptions wo;
  wo.sync = true;
  rocksdb::Status s = impl_->db->Delete(wo, impl_->cfs.at(cf), key);
  if (!s.ok()) throw std::runtime_error("raw delete in " + cf + ": " + s.ToString());
}

void RawStore::flush() {
  for (auto& [name, h] : impl_->cfs) {
    rocksdb::Status s = impl_->db->Flush(rocksdb::FlushOptions(), h);
    if (!s.ok()) throw std::runtime_error("raw flush of " + name + ": " + s.ToString());
  }
}

std::string RawStore::height_key(uint64_t height) {
  Writer w;
  w.u64(height);
  return std::move(w).data();
}

}  // namespace coopchain::testing
