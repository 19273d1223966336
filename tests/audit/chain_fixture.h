// Real chains on disk for the audit tests: a genesis with the devnet's organizations and three
// validators, signed events, blocks executed with the rules the nodes run, quorum certificates
// signed by two of the three validators, all committed into a real RocksDB data dir through
// BlockStore — the same pieces a node uses, without the network. Plus the tools a tamperer would
// use: raw RocksDB edits of that directory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "coopchain/core/block.h"
#include "coopchain/core/ed25519.h"
#include "coopchain/core/genesis.h"
#include "coopchain/core/status.h"
#include "temp_dir.h"

namespace coopchain::testing {

// Keys derived from names, so that every run builds the same chain.
const PrivateKey& named_key(const std::string& name);

// The devnet's organizations, validators node-1..node-3, the given chain id.
Genesis fixture_genesis(const std::string& chain_id = "coopchain-audit-test");

struct FixtureChain {
  std::string dir;
  Genesis genesis;
  std::string genesis_json;
  uint64_t head_height = 0;
  uint64_t transactions = 0;
  uint64_t nonce = 0;  // the last nonce used
};

// Builds a chain in `dir`: a certified coffee journey (farm, certificates, harvest, transfer,
// wet and dry milling, lot certification, transfer, export to DE) in blocks 1–5, then
// `harvest_blocks` blocks of three harvests each.
Result<FixtureChain> build_fixture_chain(const std::string& dir, int harvest_blocks,
                                         const std::string& chain_id = "coopchain-audit-test");

// Appends one block of `events` to the chain in `chain.dir` as validators that colluded would:
// every transaction goes in whether the rules accept it or not, with a certificate signed by
// two of the three validators. The state root covers only what the rules accepted.
Status append_colluded_block(FixtureChain& chain,
                             const std::vector<std::pair<std::string, std::string>>& events);

// A signed transaction for one event in the proto3 JSON form.
SignedTransaction signed_event(const std::string& org, const std::string& chain_id,
                               const std::string& event_json, uint64_t nonce = 0);

// Raw edits of a data dir, as an attacker with file access would make them. Opens the database
// with every column family; closes it on destruction.
class RawStore {
 public:
  explicit RawStore(const std::string& dir);
  ~RawStore();
  RawStore(const RawStore&) = delete;
  RawStore& operator=(const RawStore&) = delete;

  // Column families by name: "blocks", "qc", "state", "tx_index", "block_hash", "default".
  std::string get(const std::string& cf, const std::string& key) const;
  void put(const std::string& cf, const std::string& key, const std::string& value);
  void erase(const std::string& cf, const std::string& key);
  // Writes every column family's memtable to table (.sst) files.
  void flush();

  static std::string height_key(uint64_t height);

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace coopchain::testing
