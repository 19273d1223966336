// The chain archive: a portable, versioned, self-describing file holding a network's genesis and
// its committed chain (every block with its quorum certificate), written by `chain export` and
// read by `audit --archive`. The format is documented byte by byte in docs/archive-format.md so
// that a verifier can be written with any toolchain:
//
//   file   := magic u32(version=1) record*
//   magic  := the 24 ASCII bytes "coopchain chain archive\n"
//   record := u8 type, u32 length, payload[length]
//     type 1 GENESIS  the genesis JSON, byte for byte as the chain was initialized with
//     type 2 BLOCK    u64 height, bytes(canonical block), bytes(canonical quorum certificate)
//     type 3 END      u64 block count, u64 head height, head hash, head state root, i64 head time
//
// GENESIS comes first, then BLOCK 0, 1, ..., head in order, then END, then nothing. Integers are
// big-endian; bytes(x) is a u32 length then x. The END record is what tells a complete archive
// from one cut short at a record boundary.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "coopchain/audit/chain_source.h"

namespace coopchain::audit {

inline constexpr std::string_view kArchiveMagic = "coopchain chain archive\n";
inline constexpr uint32_t kArchiveVersion = 1;
// A record longer than this is refused before anything is allocated for it.
inline constexpr uint32_t kMaxArchiveRecordBytes = 256u << 20;

enum class ArchiveRecordType : uint8_t { kGenesis = 1, kBlock = 2, kEnd = 3 };

// Writes an archive to `path` through a temporary file renamed into place by finish(), so that
// an export that fails leaves no archive behind rather than a truncated one.
class ArchiveWriter {
 public:
  static Result<std::unique_ptr<ArchiveWriter>> create(const std::string& path,
                                                       std::string_view genesis_json);
  ~ArchiveWriter();
  ArchiveWriter(const ArchiveWriter&) = delete;
  ArchiveWriter& operator=(const ArchiveWriter&) = delete;

  // REQUIRES: blocks in height order from 0; qc is null for block 0 only.
  Status add(const Block& block, const QuorumCertificate* qc);
  // Writes END, syncs, and renames the file into place.
  Status finish();

  uint64_t blocks() const { return blocks_; }
  uint64_t bytes_written() const { return bytes_; }

 private:
  ArchiveWriter() = default;
  Status write_record(ArchiveRecordType type, std::string_view payload);

  std::string path_;
  std::string temp_path_;
  std::FILE* file_ = nullptr;
  uint64_t blocks_ = 0;
  uint64_t bytes_ = 0;
  std::optional<ChainHead> head_;
};

// Reads an archive as a ChainSource, one record at a time (the chain is never held in memory).
class ArchiveReader final : public ChainSource {
 public:
  // Opens the file and reads its magic, version and GENESIS record.
  static Result<std::unique_ptr<ArchiveReader>> open(const std::string& path);
  ~ArchiveReader() override;

  std::string describe() const override { return "archive " + path_; }
  std::optional<std::string> genesis_json() const override { return genesis_json_; }
  Result<std::optional<ChainRecord>> next(uint64_t height) override;
  Status finish(const ChainHead& replayed_head) override;

 private:
  ArchiveReader() = default;
  struct RawRecord {
    ArchiveRecordType type;
    std::string payload;
  };
  // nullopt at a clean end of file; an error when the file ends inside a record.
  Result<std::optional<RawRecord>> read_record(std::string_view expecting);

  std::string path_;
  std::FILE* file_ = nullptr;
  uint64_t offset_ = 0;
  std::string genesis_json_;
  std::optional<std::string> end_payload_;
};

}  // namespace coopchain::audit

namespace coopchain::audit {

struct ExportSummary {
  uint64_t blocks = 0;
  uint64_t transactions = 0;
  uint64_t bytes = 0;
  ChainHead head;
};

// Copies every record of `source` (which must carry its genesis) into a new archive at `path`.
// It checks only that the records come in height order: judging them is the audit's job.
Result<ExportSummary> export_archive(ChainSource& source, const std::string& path);

}  // namespace coopchain::audit
