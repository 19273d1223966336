#include "coopchain/audit/archive.h"

namespace coopchain::audit {

Result<ExportSummary> export_archive(ChainSource& source, const std::string& path) {
  const auto genesis = source.genesis_json();
  if (!genesis) {
    return Status::NotFound("the " + source.describe() + " does not say which genesis it holds");
  }
  auto writer = ArchiveWriter::create(path, *genesis);
  if (!writer.ok()) return writer.status();
  ExportSummary summary;
  for (uint64_t height = 0;; ++height) {
    auto record = source.next(height);
    if (!record.ok()) return record.status();
    if (!*record) break;
    const Block& block = (*record)->block;
    if (block.header.height != height) {
      return Status::Corruption("the " + source.describe() + " holds block " +
                                std::to_string(block.header.height) + " where block " +
                                std::to_string(height) + " should be");
    }
    const QuorumCertificate* qc = (*record)->qc ? &*(*record)->qc : nullptr;
    Status st = (*writer)->add(block, qc);
    if (!st.ok()) return st;
    summary.transactions += block.txs.size();
    summary.head = ChainHead{height, block.hash(), block.header.state_root, block.header.time_ms};
  }
  if ((*writer)->blocks() == 0)
    return Status::NotFound("the " + source.describe() + " holds no blocks");
  Status st = (*writer)->finish();
  if (!st.ok()) return st;
  summary.blocks = (*writer)->blocks();
  summary.bytes = (*writer)->bytes_written();
  return summary;
}

}  // namespace coopchain::audit
