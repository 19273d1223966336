// Where an audit reads a chain from: a stopped node's database (StoreChainSource), an archive
// file (ArchiveReader), or a node over gRPC (the CLI's). A source yields block 0, 1, 2, ... in
// order with their quorum certificates; it decodes but judges nothing, so that every check is
// the replay's and a lying source is caught by the same code as a damaged one.
#pragma once

#include <optional>
#include <string>

#include "coopchain/core/block.h"
#include "coopchain/core/status.h"
#include "coopchain/storage/block_store.h"

namespace coopchain::audit {

struct ChainRecord {
  Block block;
  std::optional<QuorumCertificate> qc;  // block 0 has none
};

class ChainSource {
 public:
  virtual ~ChainSource() = default;

  // "data dir ./data", "archive chain.cca", "node 127.0.0.1:7700": for reports.
  virtual std::string describe() const = 0;

  // The genesis JSON the source says its chain started from, when it carries one.
  virtual std::optional<std::string> genesis_json() const { return std::nullopt; }

  // The record at `height`; the replay asks for 0, 1, 2, ... in order. nullopt after the last
  // one. An error says what could not be read; the replay reports it at `height`.
  virtual Result<std::optional<ChainRecord>> next(uint64_t height) = 0;

  // Called after the last record with the head the replay reached: the source checks what it
  // claims about its own end (an archive's end record, a database's head record).
  virtual Status finish(const ChainHead& replayed_head) = 0;
};

}  // namespace coopchain::audit
