// An outbox: events signed where there is no link, sent once a node can be reached. Each signed
// transaction is one file, DIR/<seq>-<txid>.json, holding it in the API's JSON form
// ({"payload": …, "signature": …}, base64). A file is written whole or not at all (a temporary
// file, fsync, rename, fsync of the directory), so a power cut never leaves half an event. A
// transaction the network committed moves to DIR/sent/, one it refused to DIR/rejected/ with the
// node's answer beside it (<name>.answer.json). One process at a time uses an outbox (a lock on
// DIR/.lock).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "coopchain/core/status.h"
#include "coopchain/v1/events.pb.h"

namespace coopchain::cli {

struct OutboxEntry {
  uint64_t seq = 0;  // the order it was added in; sent in that order
  std::string tx_id;
  std::string path;
  v1::SignedTransaction tx;
};

class Outbox {
 public:
  // Opens DIR (creating it and its sent/ and rejected/ folders) and takes its lock; fails when
  // another process holds it.
  static Result<Outbox> open(const std::string& dir);
  Outbox(Outbox&& other) noexcept;
  Outbox& operator=(Outbox&&) = delete;
  Outbox(const Outbox&) = delete;
  ~Outbox();

  Result<OutboxEntry> add(const v1::SignedTransaction& tx);
  // Waiting to be sent, oldest first. A file that cannot be read is an error naming it.
  Result<std::vector<OutboxEntry>> waiting() const;
  size_t count(std::string_view folder) const;  // "sent" or "rejected"
  // Moves the entry to sent/ or rejected/, with `answer_json` beside it.
  Status settle(const OutboxEntry& entry, std::string_view folder, const std::string& answer_json);

  const std::string& dir() const { return dir_; }

 private:
  Outbox(std::string dir, int lock_fd) : dir_(std::move(dir)), lock_fd_(lock_fd) {}
  // One above every number in use, sent and refused ones included: none is used twice.
  uint64_t scan_next_seq() const;

  std::string dir_;
  int lock_fd_ = -1;
  uint64_t next_seq_ = 1;  // read once the lock is held: nobody else adds meanwhile
};

}  // namespace coopchain::cli
