#include "coopchain/audit/archive.h"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "coopchain/core/codec.h"

namespace coopchain::audit {
namespace {

constexpr size_t kRecordHeaderBytes = 5;  // u8 type, u32 length

std::string errno_text() {
  return std::strerror(errno);
}

std::string encode_end(uint64_t blocks, const ChainHead& head) {
  Writer w;
  w.u64(blocks).u64(head.height).hash(head.hash).hash(head.state_root).i64(head.time_ms);
  return std::move(w).data();
}

}  // namespace

// ---- Writer ----------------------------------------------------------------------------------

Result<std::unique_ptr<ArchiveWriter>> ArchiveWriter::create(const std::string& path,
                                                             std::string_view genesis_json) {
  std::unique_ptr<ArchiveWriter> w(new ArchiveWriter());
  w->path_ = path;
  w->temp_path_ = path + ".partial";
  w->file_ = std::fopen(w->temp_path_.c_str(), "wb");
  if (w->file_ == nullptr) {
    return Status::IOError("cannot create " + w->temp_path_ + ": " + errno_text());
  }
  Writer header;
  header.u32(kArchiveVersion);
  const std::string version = std::move(header).data();
  if (std::fwrite(kArchiveMagic.data(), 1, kArchiveMagic.size(), w->file_) !=
          kArchiveMagic.size() ||
      std::fwrite(version.data(), 1, version.size(), w->file_) != version.size()) {
    return Status::IOError("cannot write " + w->temp_path_ + ": " + errno_text());
  }
  w->bytes_ = kArchiveMagic.size() + version.size();
  Status st = w->write_record(ArchiveRecordType::kGenesis, genesis_json);
  if (!st.ok()) return st;
  return w;
}

ArchiveWriter::~ArchiveWriter() {
  if (file_ != nullptr) {
    // Not finished: what was written is no archive.
    std::fclose(file_);
    std::remove(temp_path_.c_str());
  }
}

Status ArchiveWriter::write_record(ArchiveRecordType type, std::string_view payload) {
  if (payload.size() > kMaxArchiveRecordBytes) {
    return Status::InvalidArgument("an archive record of " + std::to_string(payload.size()) +
                                   " bytes exceeds the format's limit");
  }
  Writer w;
  w.u8(static_cast<uint8_t>(type)).u32(static_cast<uint32_t>(payload.size()));
  const std::string& header = w.data();
  if (std::fwrite(header.data(), 1, header.size(), file_) != header.size() ||
      std::fwrite(payload.data(), 1, payload.size(), file_) != payload.size()) {
    return Status::IOError("cannot write " + temp_path_ + ": " + errno_text());
  }
  bytes_ += header.size() + payload.size();
  return Status::Ok();
}

Status ArchiveWriter::add(const Block& block, const QuorumCertificate* qc) {
  if (file_ == nullptr) return Status::Internal("the archive is already finished");
  const BlockHeader& h = block.header;
  if (h.height != blocks_) {
    return Status::Internal("archive blocks must come in height order: expected " +
                            std::to_string(blocks_) + ", got " + std::to_string(h.height));
  }
  Writer w;
  w.u64(h.height).bytes(encode_block(block)).bytes(qc == nullptr ? "" : encode_qc(*qc));
  Status st = write_record(ArchiveRecordType::kBlock, w.data());
  if (!st.ok()) return st;
  ++blocks_;
  head_ = ChainHead{h.height, block.hash(), h.state_root, h.time_ms};
  return Status::Ok();
}

Status ArchiveWriter::finish() {
  if (file_ == nullptr) return Status::Internal("the archive is already finished");
  if (!head_) return Status::Internal("an archive holds at least block 0");
  Status st = write_record(ArchiveRecordType::kEnd, encode_end(blocks_, *head_));
  if (!st.ok()) return st;
  const bool flushed = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  const int closed = std::fclose(file_);
  file_ = nullptr;
  if (!flushed || closed != 0) {
    std::remove(temp_path_.c_str());
    return Status::IOError("cannot write " + temp_path_ + ": " + errno_text());
  }
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    std::remove(temp_path_.c_str());
    return Status::IOError("cannot rename " + temp_path_ + " to " + path_ + ": " + errno_text());
  }
  return Status::Ok();
}

// ---- Reader ----------------------------------------------------------------------------------

Result<std::unique_ptr<ArchiveReader>> ArchiveReader::open(const std::string& path) {
  std::unique_ptr<ArchiveReader> r(new ArchiveReader());
  r->path_ = path;
  r->file_ = std::fopen(path.c_str(), "rb");
  if (r->file_ == nullptr) return Status::IOError("cannot open " + path + ": " + errno_text());
  std::string head(kArchiveMagic.size() + 4, '\0');
  const size_t got = std::fread(head.data(), 1, head.size(), r->file_);
  if (got < kArchiveMagic.size() ||
      std::string_view(head).substr(0, kArchiveMagic.size()) != kArchiveMagic) {
    return Status::Corruption(path +
                              " is not a coopchain chain archive (no \"coopchain chain "
                              "archive\" header)");
  }
  if (got < head.size()) return Status::Corruption(path + " ends inside its header");
  Reader version(std::string_view(head).substr(kArchiveMagic.size()));
  const uint32_t v = version.u32();
  if (v != kArchiveVersion) {
    return Status::Corruption(path + " is an archive of format version " + std::to_string(v) +
                              "; this build reads version " + std::to_string(kArchiveVersion));
  }
  r->offset_ = head.size();
  auto genesis = r->read_record("genesis");
  if (!genesis.ok()) return genesis.status();
  if (!*genesis || (*genesis)->type != ArchiveRecordType::kGenesis) {
    return Status::Corruption(path + " does not start with its genesis record");
  }
  r->genesis_json_ = std::move((*genesis)->payload);
  return r;
}

ArchiveReader::~ArchiveReader() {
  if (file_ != nullptr) std::fclose(file_);
}

Result<std::optional<ArchiveReader::RawRecord>> ArchiveReader::read_record(
    std::string_view expecting) {
  const uint64_t at = offset_;
  auto cut_short = [&](size_t have, size_t want) {
    return Status::Corruption("the archive ends in the middle of the " + std::string(expecting) +
                              " record at byte " + std::to_string(at) + " (" +
                              std::to_string(have) + " of " + std::to_string(want) + " bytes)");
  };
  std::array<char, kRecordHeaderBytes> header{};
  const size_t got = std::fread(header.data(), 1, header.size(), file_);
  if (got == 0 && std::feof(file_)) return std::optional<RawRecord>();
  if (got < header.size()) return cut_short(got, header.size());
  Reader r(std::string_view(header.data(), header.size()));
  const uint8_t type = r.u8();
  const uint32_t length = r.u32();
  if (type < static_cast<uint8_t>(ArchiveRecordType::kGenesis) ||
      type > static_cast<uint8_t>(ArchiveRecordType::kEnd)) {
    return Status::Corruption("unknown record type " + std::to_string(type) + " at byte " +
                              std::to_string(at) + " where the " + std::string(expecting) +
                              " record should be");
  }
  if (length > kMaxArchiveRecordBytes) {
    return Status::Corruption("the " + std::string(expecting) + " record at byte " +
                              std::to_string(at) + " claims " + std::to_string(length) +
                              " bytes, more than any record may hold");
  }
  RawRecord record{static_cast<ArchiveRecordType>(type), std::string(length, '\0')};
  const size_t body = std::fread(record.payload.data(), 1, length, file_);
  if (body < length) return cut_short(header.size() + body, header.size() + length);
  offset_ += header.size() + length;
  return std::optional<RawRecord>(std::move(record));
}

Result<std::optional<ChainRecord>> ArchiveReader::next(uint64_t height) {
  auto raw = read_record("block " + std::to_string(height));
  if (!raw.ok()) return raw.status();
  if (!*raw) {
    return Status::Corruption("the archive ends before block " + std::to_string(height) +
                              " without its end record: it was cut short");
  }
  if ((*raw)->type == ArchiveRecordType::kEnd) {
    end_payload_ = std::move((*raw)->payload);
    return std::optional<ChainRecord>();
  }
  if ((*raw)->type != ArchiveRecordType::kBlock) {
    return Status::Corruption("a second genesis record where block " + std::to_string(height) +
                              " should be");
  }
  Reader r((*raw)->payload);
  const uint64_t labelled = r.u64();
  const std::string block_bytes = r.bytes();
  const std::string qc_bytes = r.bytes();
  if (!r.at_end_ok()) {
    return Status::Corruption("the record of block " + std::to_string(height) + " does not decode");
  }
  if (labelled != height) {
    return Status::Corruption("the record where block " + std::to_string(height) +
                              " should be is labelled height " + std::to_string(labelled));
  }
  auto block = decode_block(block_bytes);
  if (!block.ok()) {
    return Status::Corruption("block " + std::to_string(height) + ": " + block.status().message());
  }
  ChainRecord record{std::move(block).value(), std::nullopt};
  if (!qc_bytes.empty()) {
    auto qc = decode_qc(qc_bytes);
    if (!qc.ok()) {
      return Status::Corruption("the quorum certificate of block " + std::to_string(height) + ": " +
                                qc.status().message());
    }
    record.qc = std::move(qc).value();
  }
  return std::optional<ChainRecord>(std::move(record));
}

Status ArchiveReader::finish(const ChainHead& replayed) {
  if (!end_payload_) return Status::Internal("finish before the end record");
  Reader r(*end_payload_);
  const uint64_t blocks = r.u64();
  ChainHead head;
  head.height = r.u64();
  head.hash = r.hash();
  head.state_root = r.hash();
  head.time_ms = r.i64();
  if (!r.at_end_ok()) return Status::Corruption("the archive's end record does not decode");
  if (blocks != replayed.height + 1 || head.height != replayed.height ||
      head.hash != replayed.hash || head.state_root != replayed.state_root ||
      head.time_ms != replayed.time_ms) {
    return Status::Corruption("the archive's end record claims " + std::to_string(blocks) +
                              " blocks up to height " + std::to_string(head.height) + " (head " +
                              to_hex(head.hash) + "); the archive holds blocks up to height " +
                              std::to_string(replayed.height) + " (head " + to_hex(replayed.hash) +
                              ")");
  }
  char extra = 0;
  if (std::fread(&extra, 1, 1, file_) != 0) {
    return Status::Corruption("the archive has data after its end record (byte " +
                              std::to_string(offset_) + ")");
  }
  return Status::Ok();
}

}  // namespace coopchain::audit
