#include "signature_check.h"

#include "coopchain/consensus/block_check.h"
#include "coopchain/wire/event_codec.h"

namespace coopchain::audit {
namespace {

constexpr size_t kCertificate = static_cast<size_t>(-1);
// Claiming tasks a few at a time keeps the shared counter off the hot path.
constexpr size_t kTasksPerClaim = 16;

}  // namespace

SignatureCheck::SignatureCheck(Batch& batch, const Genesis& genesis, unsigned threads)
    : batch_(batch), genesis_(genesis) {
  for (size_t e = 0; e < batch_.entries.size(); ++e) {
    BatchEntry& entry = batch_.entries[e];
    entry.txs.assign(entry.record.block.txs.size(), Status::Internal("not checked yet"));
    if (entry.record.qc) tasks_.emplace_back(e, kCertificate);
    for (size_t i = 0; i < entry.txs.size(); ++i) tasks_.emplace_back(e, i);
  }
  const size_t wanted =
      std::min<size_t>(threads, (tasks_.size() + kTasksPerClaim - 1) / kTasksPerClaim);
  workers_.reserve(wanted);
  for (size_t t = 0; t < wanted; ++t) workers_.emplace_back([this] { work(); });
}

void SignatureCheck::join() {
  for (auto& w : workers_) {
    if (w.joinable()) w.join();
  }
}

void SignatureCheck::work() {
  for (;;) {
    const size_t first = next_.fetch_add(kTasksPerClaim, std::memory_order_relaxed);
    if (first >= tasks_.size()) return;
    const size_t last = std::min(tasks_.size(), first + kTasksPerClaim);
    for (size_t t = first; t < last; ++t) {
      const auto [e, i] = tasks_[t];
      BatchEntry& entry = batch_.entries[e];
      if (i == kCertificate) {
        // The genesis's validators: the replay checks again a block they are not in force for.
        entry.quorum = consensus::check_certificate(genesis_.chain_id, genesis_.validators,
                                                    *entry.record.qc, entry.record.block.header);
      } else {
        entry.txs[i] = wire::decode_verified_transaction(entry.record.block.txs[i]);
      }
    }
  }
}

}  // namespace coopchain::audit
