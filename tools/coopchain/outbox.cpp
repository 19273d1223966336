#include "outbox.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "coopchain/core/files.h"
#include "coopchain/core/hash.h"

namespace coopchain::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSuffix = ".json";
constexpr std::string_view kAnswerSuffix = ".answer.json";

Status io_error(const std::string& what) {
  return Status::IOError(what + ": " + std::strerror(errno));
}

Status fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open " + path);
  const int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : io_error("cannot sync " + path);
}

// `content` at dir/name, whole or not at all, and durable once this returns.
Status write_durably(const std::string& dir, const std::string& name, const std::string& content) {
  const std::string tmp = dir + "/.tmp-" + name;
  const std::string final_path = dir + "/" + name;
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("cannot create " + tmp);
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status st = io_error("cannot write " + tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return st;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status st = io_error("cannot sync " + tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return st;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
    Status st = io_error("cannot rename " + tmp);
    ::unlink(tmp.c_str());
    return st;
  }
  return fsync_path(dir, O_RDONLY | O_DIRECTORY);
}

// "000042-<txid>.json" → 42; nullopt for any other name.
std::optional<uint64_t> seq_of(const std::string& name) {
  if (name.size() < 8 || !name.ends_with(kSuffix) || name.ends_with(kAnswerSuffix)) {
    return std::nullopt;
  }
  const size_t dash = name.find('-');
  if (dash == 0 || dash == std::string::npos) return std::nullopt;
  uint64_t seq = 0;
  for (size_t i = 0; i < dash; ++i) {
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
    seq = seq * 10 + static_cast<uint64_t>(name[i] - '0');
  }
  return seq;
}

std::string entry_name(uint64_t seq, const std::string& tx_id) {
  std::string number = std::to_string(seq);
  if (number.size() < 6) number.insert(0, 6 - number.size(), '0');
  return number + "-" + tx_id + std::string(kSuffix);
}

}  // namespace

Result<Outbox> Outbox::open(const std::string& dir) {
  std::error_code ec;
  for (const char* sub : {"", "/sent", "/rejected"}) {
    fs::create_directories(dir + sub, ec);
    if (ec) return Status::IOError("cannot create the outbox " + dir + sub + ": " + ec.message());
  }
  const std::string lock_path = dir + "/.lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("cannot open " + lock_path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Status(StatusCode::kUnavailable,
                  "the outbox " + dir + " is in use by another coopchain process; try again");
  }
  Outbox outbox(dir, fd);
  outbox.next_seq_ = outbox.scan_next_seq();
  return outbox;
}

Outbox::Outbox(Outbox&& other) noexcept
    : dir_(std::move(other.dir_)),
      lock_fd_(std::exchange(other.lock_fd_, -1)),
      next_seq_(other.next_seq_) {}

Outbox::~Outbox() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the lock
}

uint64_t Outbox::scan_next_seq() const {
  uint64_t highest = 0;
  for (const char* sub : {"", "/sent", "/rejected"}) {
    std::error_code ec;
    for (const auto& file : fs::directory_iterator(dir_ + sub, ec)) {
      if (auto seq = seq_of(file.path().filename().string())) highest = std::max(highest, *seq);
    }
  }
  return highest + 1;
}

Result<OutboxEntry> Outbox::add(const v1::SignedTransaction& tx) {
  OutboxEntry entry;
  entry.seq = next_seq_;
  entry.tx_id = to_hex(sha256(tx.payload()));
  entry.tx = tx;
  const std::string name = entry_name(entry.seq, entry.tx_id);
  entry.path = dir_ + "/" + name;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(tx, &json);
  Status st = write_durably(dir_, name, json + "\n");
  if (!st.ok()) return st;
  ++next_seq_;
  return entry;
}

Result<std::vector<OutboxEntry>> Outbox::waiting() const {
  std::vector<OutboxEntry> entries;
  std::error_code ec;
  for (const auto& file : fs::directory_iterator(dir_, ec)) {
    const std::string name = file.path().filename().string();
    const auto seq = seq_of(name);
    if (!seq || !file.is_regular_file()) continue;
    auto text = read_file(file.path().string());
    if (!text.ok()) return text.status();
    OutboxEntry entry;
    entry.seq = *seq;
    entry.path = file.path().string();
    if (!google::protobuf::util::JsonStringToMessage(*text, &entry.tx).ok() ||
        entry.tx.payload().empty()) {
      return Status::InvalidArgument(entry.path +
                                     " is not a signed transaction; move it out of the outbox");
    }
    entry.tx_id = to_hex(sha256(entry.tx.payload()));
    entries.push_back(std::move(entry));
  }
  if (ec) return Status::IOError("cannot read the outbox " + dir_ + ": " + ec.message());
  std::sort(entries.begin(), entries.end(),
            [](const OutboxEntry& a, const OutboxEntry& b) { return a.seq < b.seq; });
  return entries;
}

size_t Outbox::count(std::string_view folder) const {
  size_t n = 0;
  std::error_code ec;
  for (const auto& file : fs::directory_iterator(dir_ + "/" + std::string(folder), ec)) {
    if (seq_of(file.path().filename().string())) ++n;
  }
  return n;
}

Status Outbox::settle(const OutboxEntry& entry, std::string_view folder,
                      const std::string& answer_json) {
  const std::string to_dir = dir_ + "/" + std::string(folder);
  const std::string name = fs::path(entry.path).filename().string();
  const std::string stem = name.substr(0, name.size() - kSuffix.size());
  // The answer first: an entry in its folder always has its answer beside it.
  Status st = write_durably(to_dir, stem + std::string(kAnswerSuffix), answer_json + "\n");
  if (!st.ok()) return st;
  if (::rename(entry.path.c_str(), (to_dir + "/" + name).c_str()) != 0) {
    return io_error("cannot move " + entry.path);
  }
  st = fsync_path(to_dir, O_RDONLY | O_DIRECTORY);
  if (!st.ok()) return st;
  return fsync_path(dir_, O_RDONLY | O_DIRECTORY);
}

}  // namespace coopchain::cli
