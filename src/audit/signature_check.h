// A batch of consecutive blocks from a source, and the checks on it that need nothing but the
// blocks themselves — decoding and verifying each transaction's signature, verifying each quorum
// certificate — run on worker threads while the replay re-executes the batch before it.
#pragma once

#include <atomic>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "coopchain/audit/chain_source.h"
#include "coopchain/core/genesis.h"
#include "coopchain/core/transaction.h"

namespace coopchain::audit {

struct BatchEntry {
  ChainRecord record;
  // Filled by SignatureCheck: each transaction decoded with its signature verified, and the
  // verdict on the quorum certificate (Ok for block 0, which has none).
  std::vector<Result<Transaction>> txs;
  Status quorum;
};

struct Batch {
  uint64_t first_height = 0;
  std::vector<BatchEntry> entries;
  std::optional<Status> read_error;  // at first_height + entries.size()
  bool end = false;                  // the source has nothing after these entries
};

// Starts the checks of `batch` on `threads` threads; join() (or the destructor) waits for them.
// The batch must not be touched in between.
class SignatureCheck {
 public:
  SignatureCheck(Batch& batch, const Genesis& genesis, unsigned threads);
  ~SignatureCheck() { join(); }
  SignatureCheck(const SignatureCheck&) = delete;
  SignatureCheck& operator=(const SignatureCheck&) = delete;

  void join();

 private:
  void work();

  Batch& batch_;
  const Genesis& genesis_;
  // (entry, transaction) pairs; transaction == npos stands for the entry's certificate.
  std::vector<std::pair<size_t, size_t>> tasks_;
  std::atomic<size_t> next_{0};
  std::vector<std::thread> workers_;
};

}  // namespace coopchain::audit
